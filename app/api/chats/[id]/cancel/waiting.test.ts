// Stopping a chat that waits for its owner's approval: the approval is declined (audited as
// stopped by the person), nothing resumes it, the chat is idle, and a later answer gets 409.
import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { toolCallAudit } from "@/db/schema-tool-calls";
import { withApprovalTurns } from "@/lib/testing/approval-turns";
import { withTestDatabase } from "@/lib/testing/db";
import { call } from "@/lib/testing/http";
import { POST as cancel } from "./route";

const t = withTestDatabase();
const h = withApprovalTurns(t);

describe("POST /api/chats/:id/cancel on a waiting chat", () => {
  it("declines the waiting approvals and leaves the chat idle", async () => {
    const server = await h.server();
    await h.requireApproval(t.db, server.id, "echo");
    const chat = await h.newChat(h.member.token, [server.id]);
    const key = h.key("stop-waiting");
    h.fake.script(key, [
      { toolCalls: [{ name: `${server.slug}__echo`, arguments: { text: "x" } }] },
      { text: "never asked for" },
    ]);
    const sent = await h.sendJson(h.member.token, chat.id, key);
    expect(sent.body.chat.status).toBe("waiting");
    const before = h.mcp.toolCalls().length;
    const [approval] = (await h.approvals(h.member.token, chat.id)).body;

    const res = await call<{ cancelled: boolean }>(cancel, {
      token: h.member.token,
      params: { id: chat.id },
    });
    expect(res.status).toBe(200);
    expect(res.body.cancelled).toBe(true);

    const shown = await h.chat(h.member.token, chat.id);
    expect(shown.status).toBe("idle");
    const parts = shown.messages.at(-1)!.parts;
    expect(parts.find((p) => p.type === "approval")).toMatchObject({ state: "denied" });
    expect(parts.find((p) => p.type === "tool")).toMatchObject({
      state: "denied",
      output: expect.stringContaining("stopped the chat"),
    });
    const audit = await t.db.select().from(toolCallAudit).where(eq(toolCallAudit.chatId, chat.id));
    expect(audit.map((r) => [r.decision, r.reason])).toEqual([["declined", "stopped_by_user"]]);

    const late = await h.answer(h.member.token, chat.id, approval!.approval_id, {
      decision: "approve",
    });
    expect(late.status, JSON.stringify(late.body)).toBe(409);
    expect(late.body.code).toBe("approval.already_decided");
    await h.settled(t.db, chat.id);
    expect(h.mcp.toolCalls().length).toBe(before);
    // Nothing resumed: still the one answer, and stopping again finds nothing to stop.
    expect((await h.chat(h.member.token, chat.id)).messages).toHaveLength(2);
    const again = await call<{ cancelled: boolean }>(cancel, {
      token: h.member.token,
      params: { id: chat.id },
    });
    expect(again.body.cancelled).toBe(false);
  });
});
