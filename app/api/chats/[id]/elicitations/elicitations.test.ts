import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { chats, mcpServerConfigs, turns } from "@/db/schema";
import { sweepApprovals } from "@/lib/chat/approvals/sweeps";
import { pendingRequests } from "@/db/schema-tool-calls";
import { POST as answerRoute } from "@/app/api/chats/[id]/elicitations/[elicitation_id]/route";
import { POST as sendRoute } from "@/app/api/chats/[id]/messages/route";
import { call } from "@/lib/testing/http";
import { withApprovalTurns } from "@/lib/testing/approval-turns";
import { withTestDatabase } from "@/lib/testing/db";
import { seedUser } from "@/lib/testing/fixtures";
import { ElicitResultSchema } from "@modelcontextprotocol/sdk/types.js";

const t = withTestDatabase();
const h = withApprovalTurns(t, { elicitation: true });

function answer(token: string, chatId: string, id: string, body: Record<string, unknown>) {
  return call(answerRoute, { token, params: { id: chatId, elicitation_id: id }, body });
}

/** Waits (by polling the database) for the chat's question in `state`. */
async function question(chatId: string, state = "pending", timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await t.db
      .select()
      .from(pendingRequests)
      .where(
        and(
          eq(pendingRequests.chatId, chatId),
          eq(pendingRequests.kind, "elicitation"),
          eq(pendingRequests.state, state as "pending"),
        ),
      );
    if (row) return row;
    if (Date.now() > deadline) throw new Error(`no ${state} elicitation in chat ${chatId}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Starts a turn whose tool asks; returns the pending question and the turn's promise. */
async function asking(
  label: string,
  tool: string,
  args: Record<string, unknown>,
  opts: { server?: { id: string; slug: string }; planMode?: boolean } = {},
) {
  const server = opts.server ?? (await h.server());
  const chat = await h.newChat(h.member.token, [server.id]);
  const key = h.key(label);
  h.fake.script(key, [
    { toolCalls: [{ name: `${server.slug}__${tool}`, arguments: args }] },
    { text: "Done after the question." },
  ]);
  const sent = h.sendJson(h.member.token, chat.id, `${key} go`);
  return { server, chat, sent };
}

const resultOf = (parts: any[]) => {
  const tool = parts.find((p) => p.type === "tool");
  const text = tool?.output?.content?.[0]?.text ?? tool?.output?.text ?? JSON.stringify(tool);
  return { tool, text: String(text) };
};

describe("MCP elicitation", () => {
  it("asks in the chat, waits, and sends the accepted form with its defaults", async () => {
    const { chat, sent } = await asking("accept", "collect-user-info", {
      infoType: "preferences",
    });
    const row = await question(chat.id);
    const [waiting] = await t.db.select().from(chats).where(eq(chats.id, chat.id));
    expect(waiting!.status).toBe("waiting");
    // A reload shows the question while the call waits.
    const stored = await h.chat(h.member.token, chat.id);
    const part = (stored.messages.at(-1)!.parts as any[]).find((p) => p.type === "elicitation");
    expect(part).toMatchObject({
      elicitation_id: row.id,
      mode: "form",
      state: "pending",
      message: "How would you like to be notified?",
      server_name: expect.stringContaining("Approvals"),
    });
    expect(part.requested_schema.required).toEqual(["theme"]);
    expect(typeof part.tool_call_id).toBe("string");

    const res = await answer(h.member.token, chat.id, row.id, {
      action: "accept",
      content: { theme: "dark" },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.state).toBe("accepted");

    const done = await sent;
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    const parts = done.body.message.parts as any[];
    const { text } = resultOf(parts);
    // The server got the person's value and the defaults of the fields left out.
    expect(JSON.parse(text)).toEqual({
      action: "accept",
      content: { theme: "dark", notifications: true, frequency: "weekly" },
    });
    expect(parts.find((p) => p.type === "elicitation")).toMatchObject({ state: "accepted" });
    const after = await h.settled(t.db, chat.id);
    expect(after.status).toBe("idle");
    // A reload shows the same card and state.
    const reloaded = await h.chat(h.member.token, chat.id);
    expect(
      (reloaded.messages.at(-1)!.parts as any[]).find((p) => p.type === "elicitation"),
    ).toMatchObject({ elicitation_id: row.id, state: "accepted" });
  });

  it("refuses invalid content (400), a second answer (409) and other members (404)", async () => {
    const { chat, sent } = await asking("invalid", "collect-user-info", { infoType: "feedback" });
    const row = await question(chat.id);
    for (const content of [
      { rating: 9, recommend: true },
      { rating: 3 },
      { rating: 3, recommend: true, since: "last spring" },
      { rating: 3, recommend: true, extra: "x" },
    ]) {
      const bad = await answer(h.member.token, chat.id, row.id, { action: "accept", content });
      expect(bad.status, JSON.stringify(content)).toBe(400);
      expect(bad.body.code).toBe("elicitation.invalid_content");
    }
    const other = await seedUser(t.db);
    const hidden = await answer(other.token, chat.id, row.id, { action: "decline" });
    expect(hidden.status).toBe(404);

    const declined = await answer(h.member.token, chat.id, row.id, { action: "decline" });
    expect(declined.status).toBe(200);
    expect(declined.body.state).toBe("declined");
    const twice = await answer(h.member.token, chat.id, row.id, { action: "cancel" });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe("elicitation.already_answered");

    const done = await sent;
    expect(JSON.parse(resultOf(done.body.message.parts as any[]).text)).toEqual({
      action: "decline",
      content: null,
    });
  });

  it("passes a cancel on, and URL mode sends accept without content", async () => {
    const first = await asking("cancel", "collect-user-info", { infoType: "contact" });
    const row = await question(first.chat.id);
    expect((await answer(h.member.token, first.chat.id, row.id, { action: "cancel" })).status).toBe(
      200,
    );
    const cancelled = await first.sent;
    expect(JSON.parse(resultOf(cancelled.body.message.parts as any[]).text).action).toBe("cancel");

    const url = "https://login.example.com/device?code=42";
    const second = await asking("url", "open_link", { url });
    const ask = await question(second.chat.id);
    const stored = await h.chat(h.member.token, second.chat.id);
    expect(
      (stored.messages.at(-1)!.parts as any[]).find((p) => p.type === "elicitation"),
    ).toMatchObject({ mode: "url", url, state: "pending" });
    const ok = await answer(h.member.token, second.chat.id, ask.id, {
      action: "accept",
      content: { ignored: true },
    });
    expect(ok.status).toBe(200);
    const done = await second.sent;
    expect(JSON.parse(resultOf(done.body.message.parts as any[]).text)).toEqual({
      action: "accept",
    });
  });

  it("expires an unanswered question and answers the server cancel", async () => {
    const { chat, sent } = await asking("expire", "collect-user-info", { infoType: "contact" });
    const row = await question(chat.id);
    await t.db
      .update(pendingRequests)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(pendingRequests.id, row.id));
    const done = await sent;
    expect(JSON.parse(resultOf(done.body.message.parts as any[]).text).action).toBe("cancel");
    expect((done.body.message.parts as any[]).find((p) => p.type === "elicitation")).toMatchObject({
      state: "expired",
    });
    const late = await answer(h.member.token, chat.id, row.id, { action: "decline" });
    expect(late.status).toBe(409);
  });

  it("cancels a question whose turn died (restart): the card says so, answers get 409", async () => {
    const { chat, sent } = await asking("restart", "collect-user-info", { infoType: "contact" });
    const row = await question(chat.id);
    // What the sweeps see after the instance running the turn died: the turn is interrupted.
    await t.db.update(turns).set({ status: "interrupted" }).where(eq(turns.id, row.turnId));
    await sweepApprovals(t.db);
    const [closed] = await t.db
      .select()
      .from(pendingRequests)
      .where(eq(pendingRequests.id, row.id));
    expect(closed).toMatchObject({ state: "cancelled", response: { reason: "turn_ended" } });
    const stored = await h.chat(h.member.token, chat.id);
    expect(
      (stored.messages.at(-1)!.parts as any[]).find((p) => p.type === "elicitation"),
    ).toMatchObject({ state: "cancelled", reason: "turn_ended" });
    const late = await answer(h.member.token, chat.id, row.id, { action: "accept", content: {} });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe("elicitation.already_answered");
    // This process is still alive: its waiting call sees the row closed and ends.
    await sent;
  });

  it("in plan mode, declines a server that is not admitted in plan mode", async () => {
    // A server admitted in plan mode whose admission is withdrawn while its call runs: the
    // question comes after, and is declined without asking anybody.
    let arrived: () => void = () => {};
    const called = new Promise<void>((resolve) => (arrived = resolve));
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const mcp = await h.startServer({
      tools: [],
      customTools: (server) => {
        server.registerTool(
          "ask_later",
          { description: "Asks once released.", inputSchema: { n: z.number() } },
          async (_args, extra) => {
            arrived();
            await gate;
            const result = await extra.sendRequest(
              {
                method: "elicitation/create",
                params: {
                  mode: "form",
                  message: "Plan-mode question",
                  requestedSchema: { type: "object", properties: { a: { type: "string" } } },
                },
              },
              ElicitResultSchema,
            );
            return { content: [{ type: "text", text: JSON.stringify({ action: result.action }) }] };
          },
        );
      },
    });
    const server = await h.server({ url: mcp.mcpUrl, allow_in_plan_mode: true });
    const chat = await h.newChat(h.member.token, [server.id]);
    const key = h.key("plan");
    h.fake.script(key, [
      { toolCalls: [{ name: `${server.slug}__ask_later`, arguments: { n: 1 } }] },
      { text: "Planned." },
    ]);
    const sent = call<any>(sendRoute, {
      token: h.member.token,
      params: { id: chat.id },
      body: { content: `${key} plan it`, plan_mode: true },
      headers: { accept: "application/json" },
    });
    // The call has reached the server: withdraw the admission, then let it ask.
    await called;
    await t.db
      .update(mcpServerConfigs)
      .set({ allowInPlanMode: false })
      .where(eq(mcpServerConfigs.id, server.id));
    release();
    const done = await sent;
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    const parts = done.body.message.parts as any[];
    expect(JSON.parse(resultOf(parts).text)).toEqual({ action: "decline" });
    expect(parts.find((p) => p.type === "elicitation")).toMatchObject({
      state: "declined",
      reason: "plan_mode",
    });
    expect(parts.find((p) => p.type === "notice")).toMatchObject({
      code: "elicitation.plan_mode_declined",
    });
  });
});
