import { afterEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { toolCallAudit } from "@/db/schema-tool-calls";
import { GET as listGrants } from "@/app/api/chats/[id]/grants/route";
import { DELETE as revoke } from "@/app/api/chats/[id]/grants/[grant_id]/route";
import { sweepApprovals } from "@/lib/chat/approvals/sweeps";
import { withApprovalTurns } from "@/lib/testing/approval-turns";
import { withTestDatabase } from "@/lib/testing/db";
import { call } from "@/lib/testing/http";

const t = withTestDatabase();
const h = withApprovalTurns(t);

afterEach(() => {
  delete process.env.APPROVAL_TIMEOUT_S;
});

const auditOf = (chatId: string) =>
  t.db.select().from(toolCallAudit).where(eq(toolCallAudit.chatId, chatId));

/** Scripts `turns` turns that each call echo once, then answer. */
function scriptEcho(slug: string, key: string, turns: number) {
  const steps = [];
  for (let i = 0; i < turns; i += 1) {
    steps.push({ toolCalls: [{ name: `${slug}__echo`, arguments: { text: `call ${i}` } }] });
    steps.push({ text: `Answer ${i}.` });
  }
  return h.fake.script(key, steps);
}

describe("approval expiry", () => {
  it("expires an unanswered approval, counts it as declined and tells the model", async () => {
    process.env.APPROVAL_TIMEOUT_S = "1";
    const server = await h.server();
    await h.requireApproval(t.db, server.id, "echo");
    const chat = await h.newChat(h.member.token, [server.id]);
    const key = h.key("expire");
    const script = scriptEcho(server.slug, key, 1);
    const before = h.mcp.toolCalls().length;
    const res = await h.sendJson(h.member.token, chat.id, `${key} go`);
    expect(res.body.chat.status).toBe("waiting");
    await new Promise((r) => setTimeout(r, 1300));
    // The sweep (any instance) expires it and resumes the turn.
    expect(await sweepApprovals(t.db)).toBe(1);
    const after = await h.settled(t.db, chat.id);
    expect(after.status).toBe("idle");
    expect(h.mcp.toolCalls().length).toBe(before);
    expect(JSON.stringify(script.requests()[1]!.body)).toContain("No one approved this tool call");
    const [approval] = (await h.approvals(h.member.token, chat.id)).body;
    expect(approval!.state).toBe("expired");
    const late = await h.answer(h.member.token, chat.id, approval!.approval_id, {
      decision: "approve",
    });
    expect(late.status).toBe(409);
    expect((await auditOf(chat.id)).map((r) => [r.decision, r.outcome])).toEqual([
      ["expired", "not_run"],
    ]);
  });

  it("expires lazily when the chat's approvals are read", async () => {
    process.env.APPROVAL_TIMEOUT_S = "1";
    const server = await h.server();
    await h.requireApproval(t.db, server.id, "echo");
    const chat = await h.newChat(h.member.token, [server.id]);
    const key = h.key("lazy");
    scriptEcho(server.slug, key, 1);
    await h.sendJson(h.member.token, chat.id, `${key} go`);
    await new Promise((r) => setTimeout(r, 1300));
    const listed = await h.approvals(h.member.token, chat.id);
    expect(listed.body[0]!.state).toBe("expired");
    await h.settled(t.db, chat.id);
    const parts = (await h.chat(h.member.token, chat.id)).messages.at(-1)!.parts as any[];
    expect(parts.find((p) => p.type === "tool").state).toBe("denied");
  });
});

describe("grants", () => {
  it("lets the tool run unasked in the same chat for an hour, asks in another chat, and stops on revoke", async () => {
    const server = await h.server();
    await h.requireApproval(t.db, server.id, "echo");
    const chat = await h.newChat(h.member.token, [server.id]);
    const key = h.key("grant");
    scriptEcho(server.slug, key, 3);
    const before = h.mcp.toolCalls().length;

    await h.sendJson(h.member.token, chat.id, `${key} first`);
    const [first] = (await h.approvals(h.member.token, chat.id)).body;
    const ok = await h.answer(h.member.token, chat.id, first!.approval_id, {
      decision: "approve",
      remember: "chat_1h",
    });
    expect(ok.status).toBe(200);
    expect(ok.body.grant_id).toBeTruthy();
    await h.settled(t.db, chat.id);
    expect(h.mcp.toolCalls().length).toBe(before + 1);

    const grants = await call(listGrants, { token: h.member.token, params: { id: chat.id } });
    expect(grants.status).toBe(200);
    expect(grants.body).toHaveLength(1);
    expect(grants.body[0]).toMatchObject({ tool_name: "echo", server_id: server.id, active: true });
    const left = Date.parse(grants.body[0].expires_at) - Date.now();
    expect(left).toBeGreaterThan(59 * 60 * 1000);
    expect(left).toBeLessThanOrEqual(60 * 60 * 1000);

    // Same chat: runs at once, no new approval.
    const second = await h.sendJson(h.member.token, chat.id, `${key} second`);
    expect(second.body.chat.status).toBe("idle");
    expect(h.mcp.toolCalls().length).toBe(before + 2);
    expect((await h.approvals(h.member.token, chat.id)).body).toHaveLength(1);

    // Another chat: asks again.
    const other = await h.newChat(h.member.token, [server.id]);
    const otherKey = h.key("grant-other");
    scriptEcho(server.slug, otherKey, 1);
    const asked = await h.sendJson(h.member.token, other.id, `${otherKey} go`);
    expect(asked.body.chat.status).toBe("waiting");
    expect(h.mcp.toolCalls().length).toBe(before + 2);

    // Revoked: the same chat asks again.
    const gone = await call(revoke, {
      token: h.member.token,
      method: "DELETE",
      params: { id: chat.id, grant_id: grants.body[0].id },
    });
    expect(gone.status).toBe(204);
    const third = await h.sendJson(h.member.token, chat.id, `${key} third`);
    expect(third.body.chat.status).toBe("waiting");
    expect(h.mcp.toolCalls().length).toBe(before + 2);
    const after = await call(listGrants, { token: h.member.token, params: { id: chat.id } });
    expect(after.body).toHaveLength(0);

    const rows = await auditOf(chat.id);
    expect(rows.map((r) => r.decision).sort()).toEqual(["approved", "approved"]);
    expect(rows.find((r) => r.reason?.startsWith("grant"))).toMatchObject({
      decision: "approved",
      outcome: "ok",
      decidedBy: h.member.user.id,
    });
  });
});
