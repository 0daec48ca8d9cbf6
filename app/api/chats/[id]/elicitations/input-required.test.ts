// Questions of a 2026-07-28 server (input_required, SEP-2322) asked in the chat through the same
// card, part and route as a 2025 server's elicitation: a real 2.x SDK stateless server, the
// route handlers, the fake model and the real database. The round's requestState waits sealed
// in mcp_input_rounds and is claimed once for the retry.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { startMcp2026Server, type RunningMcp2026Server } from "@/e2e/fixtures/mcp-2026-server";
import { POST as answerRoute } from "@/app/api/chats/[id]/elicitations/[elicitation_id]/route";
import { POST as sendRoute } from "@/app/api/chats/[id]/messages/route";
import { claimInputRound } from "@/db/queries/input-rounds";
import { chats, mcpServerConfigs } from "@/db/schema";
import { mcpInputRounds, pendingRequests } from "@/db/schema-tool-calls";
import { sweepApprovals } from "@/lib/chat/approvals/sweeps";
import { inputRoundStore } from "@/lib/chat/elicitations/rounds";
import { call } from "@/lib/testing/http";
import { withApprovalTurns } from "@/lib/testing/approval-turns";
import { withTestDatabase } from "@/lib/testing/db";

const t = withTestDatabase();
const h = withApprovalTurns(t, {});
let modern: RunningMcp2026Server | undefined;
let planServer: RunningMcp2026Server | undefined;
let planConfigId: string | undefined;

beforeAll(async () => {
  modern = await startMcp2026Server({ legacy: "reject" });
  // Its admission in plan mode is withdrawn between the call and its question.
  planServer = await startMcp2026Server({
    legacy: "reject",
    beforeAsking: async () => {
      await t.db
        .update(mcpServerConfigs)
        .set({ allowInPlanMode: false })
        .where(eq(mcpServerConfigs.id, planConfigId!));
    },
  });
});
afterAll(async () => {
  await modern?.close();
  await planServer?.close();
});

function answer(token: string, chatId: string, id: string, body: Record<string, unknown>) {
  return call<any>(answerRoute, { token, params: { id: chatId, elicitation_id: id }, body });
}

async function question(chatId: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await t.db
      .select()
      .from(pendingRequests)
      .where(
        and(
          eq(pendingRequests.chatId, chatId),
          eq(pendingRequests.kind, "elicitation"),
          eq(pendingRequests.state, "pending"),
        ),
      );
    if (row) return row;
    if (Date.now() > deadline) throw new Error(`no pending elicitation in chat ${chatId}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Polls until `read` gives something (the turn stores the card a moment after the row). */
async function eventually<T>(read: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The elicitation part of the chat's stored last message, once stored. */
function storedCard(chatId: string) {
  return eventually(async () => {
    const stored = await h.chat(h.member.token, chatId);
    return (stored.messages.at(-1)?.parts as any[] | undefined)?.find(
      (p) => p.type === "elicitation",
    );
  });
}

async function asking(label: string, tool: string) {
  const server = await h.server({ url: modern!.mcpUrl });
  const chat = await h.newChat(h.member.token, [server.id]);
  const key = h.key(label);
  h.fake.script(key, [
    { toolCalls: [{ name: `${server.slug}__${tool}`, arguments: {} }] },
    { text: "Done after the question." },
  ]);
  const sent = h.sendJson(h.member.token, chat.id, `${key} go`);
  return { server, chat, sent };
}

const toolText = (parts: any[]) => {
  const tool = parts.find((p) => p.type === "tool");
  return String(tool?.output?.content?.[0]?.text ?? tool?.output?.text ?? JSON.stringify(tool));
};

describe("input_required on the 2026-07-28 wire", () => {
  it("asks with the elicitation card, keeps the round sealed, and retries with the answer", async () => {
    const { chat, sent } = await asking("accept", "collect");
    const row = await question(chat.id);
    await eventually(async () => {
      const [current] = await t.db.select().from(chats).where(eq(chats.id, chat.id));
      return current!.status === "waiting" ? true : undefined;
    });
    // A reload shows the card while the call waits.
    const part = await storedCard(chat.id);
    expect(part).toMatchObject({
      elicitation_id: row.id,
      mode: "form",
      state: "pending",
      message: "Who are you?",
      server_name: expect.stringContaining("Approvals"),
    });
    expect(part.requested_schema.required).toEqual(["name"]);

    // While the person is asked, the server's state is in Postgres, sealed, not yet claimed.
    const toolCallId = (row.request as { toolCallId: string }).toolCallId;
    const [kept] = await t.db
      .select()
      .from(mcpInputRounds)
      .where(eq(mcpInputRounds.toolCallId, toolCallId));
    expect(kept).toMatchObject({ chatId: chat.id, turnId: row.turnId, round: 1, consumedAt: null });
    expect(kept!.stateEnc).toBeTruthy();
    expect(kept!.stateEnc).not.toContain("collect:");
    expect(kept!.stateEnc).not.toContain("Who are you");

    const res = await answer(h.member.token, chat.id, row.id, {
      action: "accept",
      content: { name: "Ada" },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.state).toBe("accepted");

    const done = await sent;
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    const parts = done.body.message.parts as any[];
    // The server got the answer (the colour's default filled in) and its own state back.
    expect(toolText(parts)).toBe("hello Ada, you like green");
    expect(parts.find((p) => p.type === "tool")?.is_error).toBeFalsy();
    expect(parts.find((p) => p.type === "elicitation")).toMatchObject({ state: "accepted" });
    expect((await h.settled(t.db, chat.id)).status).toBe("idle");

    // Claimed once: marked consumed, the sealed state erased; a second claim gets nothing.
    const [spent] = await t.db.select().from(mcpInputRounds).where(eq(mcpInputRounds.id, kept!.id));
    expect(spent!.consumedAt).not.toBeNull();
    expect(spent!.stateEnc).toBeNull();
    expect(await claimInputRound(t.db, kept!.id)).toBeUndefined();
    // The sweep deletes spent rounds.
    await sweepApprovals(t.db);
    const left = await t.db.select().from(mcpInputRounds).where(eq(mcpInputRounds.id, kept!.id));
    expect(left).toEqual([]);
  });

  it("passes a decline and a cancel on to the server", async () => {
    for (const action of ["decline", "cancel"] as const) {
      const { chat, sent } = await asking(action, "collect");
      const row = await question(chat.id);
      const res = await answer(h.member.token, chat.id, row.id, { action });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const done = await sent;
      expect(toolText(done.body.message.parts as any[])).toBe(`no info: ${action}`);
      const again = await answer(h.member.token, chat.id, row.id, { action: "accept" });
      expect(again.status).toBe(409);
    }
  });

  it("asks a URL-mode question with the same card", async () => {
    const { chat, sent } = await asking("url", "visit");
    const row = await question(chat.id);
    expect(await storedCard(chat.id)).toMatchObject({
      mode: "url",
      url: "https://example.com/sign",
      state: "pending",
    });
    expect((await answer(h.member.token, chat.id, row.id, { action: "accept" })).status).toBe(200);
    const done = await sent;
    expect(toolText(done.body.message.parts as any[])).toBe("visit: accept");
  });

  it("in plan mode, declines a server that is not admitted in plan mode", async () => {
    const server = await h.server({ url: planServer!.mcpUrl, allow_in_plan_mode: true });
    planConfigId = server.id;
    const chat = await h.newChat(h.member.token, [server.id]);
    const key = h.key("plan");
    h.fake.script(key, [
      { toolCalls: [{ name: `${server.slug}__collect`, arguments: {} }] },
      { text: "Planned." },
    ]);
    const done = await call<any>(sendRoute, {
      token: h.member.token,
      params: { id: chat.id },
      body: { content: `${key} plan it`, plan_mode: true },
      headers: { accept: "application/json" },
    });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    const parts = done.body.message.parts as any[];
    expect(toolText(parts)).toBe("no info: decline");
    expect(parts.find((p) => p.type === "elicitation")).toMatchObject({
      state: "declined",
      reason: "plan_mode",
    });
    expect(parts.find((p) => p.type === "notice")).toMatchObject({
      code: "elicitation.plan_mode_declined",
    });
  });
});

describe("round state in Postgres", () => {
  it("is sealed, and claimed exactly once even by claims racing each other", async () => {
    const chat = await h.newChat(h.member.token, []);
    const owner = { chatId: chat.id, turnId: crypto.randomUUID(), toolCallId: "call-1" };
    const store = inputRoundStore(t.db, owner);
    const state = { requestState: "secret-state-42", inputRequests: { a: { method: "x" } } };
    const handle = await store.keep(1, state);
    const [row] = await t.db.select().from(mcpInputRounds).where(eq(mcpInputRounds.id, handle));
    expect(row!.stateEnc).not.toContain("secret-state-42");

    const claims = await Promise.all([store.claim(handle), store.claim(handle)]);
    expect(claims.filter((c) => c !== undefined)).toEqual([state]);
    expect(await store.claim(handle)).toBeUndefined();
    // Another store (another instance) cannot claim it either.
    expect(await inputRoundStore(t.db, owner).claim(handle)).toBeUndefined();
  });

  it("refuses a round past its time", async () => {
    const chat = await h.newChat(h.member.token, []);
    const store = inputRoundStore(t.db, {
      chatId: chat.id,
      turnId: crypto.randomUUID(),
      toolCallId: "call-2",
    });
    const handle = await store.keep(1, { inputRequests: {} });
    await t.db
      .update(mcpInputRounds)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(mcpInputRounds.id, handle));
    expect(await store.claim(handle)).toBeUndefined();
  });
});
