import { describe, expect, it } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import { finishTurn } from "@/db/queries/chats";
import { turnChunks, turns } from "@/db/schema";
import { pendingRequests, toolCallAudit } from "@/db/schema-tool-calls";
import { notifyTurn } from "@/lib/chat/stream-bus";
import { withApprovalTurns } from "@/lib/testing/approval-turns";
import { withTestDatabase } from "@/lib/testing/db";
import { seedUser } from "@/lib/testing/fixtures";

const t = withTestDatabase();
const h = withApprovalTurns(t);

async function auditOf(chatId: string) {
  return t.db.select().from(toolCallAudit).where(eq(toolCallAudit.chatId, chatId));
}

/** A chat on a fresh server whose echo tool needs approval, and a turn that paused on it. */
async function pausedTurn(label: string, args: Record<string, unknown> = { text: "original" }) {
  const server = await h.server();
  await h.requireApproval(t.db, server.id, "echo");
  const chat = await h.newChat(h.member.token, [server.id]);
  const key = h.key(label);
  const script = h.fake.script(key, [
    { toolCalls: [{ name: `${server.slug}__echo`, arguments: args }] },
    { text: "Finished after the call." },
  ]);
  const before = h.mcp.toolCalls().length;
  const res = await h.sendJson(h.member.token, chat.id, `${key} please echo`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return { server, chat, key, script, before, res };
}

describe("tool-call approval", () => {
  it("pauses, shows the request, and runs the edited input once approved", async () => {
    const { chat, script, before, res, server } = await pausedTurn("approve");
    expect(res.body.chat.status).toBe("waiting");
    const approval = res.body.message.parts.find((p) => p.type === "approval");
    expect(approval).toMatchObject({
      state: "pending",
      name: `${server.slug}__echo`,
      tool_name: "echo",
      server_id: server.id,
      input: { text: "original" },
    });
    const tool = res.body.message.parts.find((p) => p.type === "tool");
    expect(tool.state).toBe("awaiting-approval");
    // Nothing reached the server, and the model was asked once.
    expect(h.mcp.toolCalls().length).toBe(before);
    expect(script.requests()).toHaveLength(1);

    const listed = await h.approvals(h.member.token, chat.id);
    expect(listed.status).toBe(200);
    expect(listed.body.map((a) => a.approval_id)).toEqual([approval.approval_id]);

    const ok = await h.answer(h.member.token, chat.id, approval.approval_id, {
      decision: "approve",
      input: { text: "edited by a person" },
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.state).toBe("approved");
    const after = await h.settled(t.db, chat.id);
    expect(after.status).toBe("idle");

    const calls = h.mcp.toolCalls().slice(before);
    expect(calls.map((c) => c.arguments)).toEqual([{ text: "edited by a person" }]);
    const stored = await h.chat(h.member.token, chat.id);
    const message = stored.messages.at(-1)!;
    expect(message.status).toBe("complete");
    const parts = message.parts as any[];
    expect(parts.find((p) => p.type === "tool")).toMatchObject({
      state: "complete",
      input: { text: "edited by a person" },
    });
    expect(parts.find((p) => p.type === "approval")).toMatchObject({
      state: "approved",
      decided_by: h.member.user.id,
    });
    expect(parts.filter((p) => p.type === "text").map((p) => p.text)).toContain(
      "Finished after the call.",
    );
    // The continuing turn's stream describes the whole message (a resuming client rebuilds the
    // message from it): the call's input comes before its output.
    const [resumed] = await t.db
      .select()
      .from(turns)
      .where(and(eq(turns.chatId, chat.id), eq(turns.status, "done")))
      .orderBy(asc(turns.startedAt))
      .offset(1);
    const chunks = (
      await t.db
        .select()
        .from(turnChunks)
        .where(eq(turnChunks.turnId, resumed!.id))
        .orderBy(asc(turnChunks.seq))
    ).map((c) => c.chunk);
    const inputAt = chunks.findIndex((c) => c.type === "tool-input-available");
    const outputAt = chunks.findIndex((c) => c.type === "tool-output-available");
    expect(chunks[0]).toMatchObject({ type: "start", messageId: message.id });
    expect(inputAt).toBeGreaterThan(0);
    expect(outputAt).toBeGreaterThan(inputAt);
    expect(chunks[inputAt]).toMatchObject({ input: { text: "edited by a person" } });
    // The model got the result of the edited call.
    expect(JSON.stringify(script.requests()[1]!.body)).toContain("edited by a person");

    const rows = await auditOf(chat.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      decision: "approved",
      outcome: "ok",
      decidedBy: h.member.user.id,
      tool: "echo",
      serverId: server.id,
      source: "mcp",
    });
    expect(rows[0]!.durationMs).not.toBeNull();
  });

  it("tells the model the person declined, and runs nothing", async () => {
    const { chat, script, before } = await pausedTurn("deny");
    const [approval] = (await h.approvals(h.member.token, chat.id)).body;
    const res = await h.answer(h.member.token, chat.id, approval!.approval_id, {
      decision: "deny",
    });
    expect(res.status).toBe(200);
    await h.settled(t.db, chat.id);
    expect(h.mcp.toolCalls().length).toBe(before);
    expect(JSON.stringify(script.requests()[1]!.body)).toContain("The person declined");
    const parts = (await h.chat(h.member.token, chat.id)).messages.at(-1)!.parts as any[];
    expect(parts.find((p) => p.type === "tool").state).toBe("denied");
    const rows = await auditOf(chat.id);
    expect(rows.map((r) => [r.decision, r.outcome])).toEqual([["declined", "not_run"]]);
  });

  it("answers twice with 409, refuses an edit the schema rules out, hides the chat from others", async () => {
    const { chat } = await pausedTurn("conflicts");
    const [approval] = (await h.approvals(h.member.token, chat.id)).body;
    const id = approval!.approval_id;

    const bad = await h.answer(h.member.token, chat.id, id, {
      decision: "approve",
      input: { text: 42 },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe("approval.invalid_input");
    const unknownField = await h.answer(h.member.token, chat.id, id, {
      decision: "approve",
      extra: true,
    });
    expect(unknownField.status).toBe(400);

    const other = await seedUser(t.db);
    const hidden = await h.answer(other.token, chat.id, id, { decision: "approve" });
    expect(hidden.status).toBe(404);
    expect((await h.approvals(other.token, chat.id)).status).toBe(404);
    // Still pending after all that.
    expect((await h.approvals(h.member.token, chat.id)).body[0]!.state).toBe("pending");

    expect((await h.answer(h.member.token, chat.id, id, { decision: "deny" })).status).toBe(200);
    const again = await h.answer(h.member.token, chat.id, id, { decision: "approve" });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe("approval.already_decided");
    await h.settled(t.db, chat.id);
    expect((await auditOf(chat.id)).map((r) => r.decision)).toEqual(["declined"]);
  });

  it("has the continuing turn running when it answers, even if the asking turn was still finishing", async () => {
    // The card shows as soon as the asking turn streams it; that turn then stores the message
    // and ends. An answer in between must not leave the client following the asking turn's
    // tail: the continuing turn exists when the answer returns.
    const { chat } = await pausedTurn("still-finishing");
    const [asking] = await t.db.select().from(turns).where(eq(turns.chatId, chat.id));
    // As if the asking turn were still writing its last chunks.
    await t.db
      .update(turns)
      .set({ status: "running", endedAt: null, heartbeatAt: new Date() })
      .where(eq(turns.id, asking!.id));
    const [approval] = await t.db
      .select()
      .from(pendingRequests)
      .where(eq(pendingRequests.chatId, chat.id));
    const answered = h.answer(h.member.token, chat.id, approval!.id, { decision: "approve" });
    await expect
      .poll(async () => {
        const [row] = await t.db
          .select()
          .from(pendingRequests)
          .where(eq(pendingRequests.id, approval!.id));
        return row!.state;
      })
      .toBe("approved");
    // The asking turn ends now (its own end would also resume; this one does not, so only the
    // answer can have started the continuing turn).
    await finishTurn(t.db, asking!.id, "done", null);
    notifyTurn(asking!.id);
    const res = await answered;
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const all = await t.db.select().from(turns).where(eq(turns.chatId, chat.id));
    expect(all).toHaveLength(2);
    const [request] = await t.db
      .select()
      .from(pendingRequests)
      .where(eq(pendingRequests.id, approval!.id));
    expect(request!.resumedTurnId).toBe(all.find((r) => r.id !== asking!.id)!.id);
    expect((await h.settled(t.db, chat.id)).status).toBe("idle");
  });
});
