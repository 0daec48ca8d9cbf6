// A regeneration or a branch switch moves on from a paused answer the way a new message does:
// its pending approvals are declined (audited as superseded) and nothing resumes them.
import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { toolCallAudit } from "@/db/schema-tool-calls";
import { withApprovalTurns } from "@/lib/testing/approval-turns";
import { withTestDatabase } from "@/lib/testing/db";
import { call } from "@/lib/testing/http";
import { POST as selectBranch } from "../branch/route";
import { POST as regenerate } from "../messages/[message_id]/regenerate/route";

const t = withTestDatabase();
const h = withApprovalTurns(t);

async function pausedTurn(label: string) {
  const server = await h.server();
  await h.requireApproval(t.db, server.id, "echo");
  const chat = await h.newChat(h.member.token, [server.id]);
  const key = h.key(label);
  h.fake.script(key, [
    { toolCalls: [{ name: `${server.slug}__echo`, arguments: { text: "x" } }] },
    { text: "Answered without the tool." },
  ]);
  const res = await h.sendJson(h.member.token, chat.id, key);
  expect(res.body.chat.status).toBe("waiting");
  return { chat, before: h.mcp.toolCalls().length };
}

async function expectSuperseded(chatId: string, before: number) {
  const approvals = (await h.approvals(h.member.token, chatId)).body;
  expect(approvals.map((a) => a.state)).not.toContain("pending");
  const audit = await t.db.select().from(toolCallAudit).where(eq(toolCallAudit.chatId, chatId));
  expect(audit.map((r) => [r.decision, r.reason])).toEqual([
    ["declined", "superseded_by_new_message"],
  ]);
  expect(h.mcp.toolCalls().length).toBe(before);
}

describe("branches and paused turns", () => {
  it("regenerating a paused answer declines its approval", async () => {
    const { chat, before } = await pausedTurn("regen-paused");
    const paused = (await h.chat(h.member.token, chat.id)).messages.at(-1)!;
    const res = await call(regenerate, {
      token: h.member.token,
      params: { id: chat.id, message_id: paused.id },
      body: {},
      headers: { accept: "application/json" },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.chat.status).toBe("idle");
    await expectSuperseded(chat.id, before);
    const shown = await h.chat(h.member.token, chat.id);
    expect(shown.messages.at(-1)!.sibling_ids).toEqual([paused.id, res.body.message.id]);
  });

  it("switching away from a paused answer declines its approval and leaves the chat idle", async () => {
    const server = await h.server();
    await h.requireApproval(t.db, server.id, "echo");
    const chat = await h.newChat(h.member.token, [server.id]);
    const key = h.key("switch-paused");
    h.fake.script(key, [
      { text: "Plain answer." },
      { toolCalls: [{ name: `${server.slug}__echo`, arguments: { text: "x" } }] },
    ]);
    await h.sendJson(h.member.token, chat.id, key);
    const plain = (await h.chat(h.member.token, chat.id)).messages.at(-1)!;
    const before = h.mcp.toolCalls().length;
    // The regenerated answer pauses on the approval.
    const paused = await call(regenerate, {
      token: h.member.token,
      params: { id: chat.id, message_id: plain.id },
      body: {},
      headers: { accept: "application/json" },
    });
    expect(paused.body.chat.status).toBe("waiting");

    const back = await call(selectBranch, {
      token: h.member.token,
      params: { id: chat.id },
      body: { message_id: plain.id },
    });
    expect(back.status, JSON.stringify(back.body)).toBe(200);
    expect(back.body.status).toBe("idle");
    expect(back.body.messages.at(-1).id).toBe(plain.id);
    await expectSuperseded(chat.id, before);
  });
});
