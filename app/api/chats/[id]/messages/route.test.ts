import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { FakeOpenAI } from "@/e2e/fixtures/fake-openai";
import type { RunningMcpTestServer } from "@/e2e/fixtures/mcp-test-server";
import {
  freePort,
  startEverything,
  type RunningEverything,
} from "@/e2e/fixtures/server-everything";
import { messages, turns } from "@/db/schema";
import { call, ORIGIN } from "@/lib/testing/http";
import { withTestDatabase } from "@/lib/testing/db";
import { withTurnFixtures } from "@/lib/testing/turn-fixtures";
import { POST as createServer } from "@/app/api/mcp/servers/route";
import { GET as getChat } from "../route";
import { POST as createChat } from "../../route";
import { POST as cancel } from "../cancel/route";
import { GET as resume } from "../stream/route";
import { GET as chatTools } from "../tools/route";
import { POST as send } from "./route";

const t = withTestDatabase();
const fixtures = withTurnFixtures(t, { mcp: { requireBearer: "team-key" } });
let fake: FakeOpenAI;
let mcp: RunningMcpTestServer;
let admin: typeof fixtures.admin;
let member: typeof fixtures.member;

beforeAll(() => {
  ({ fake, mcp, admin, member } = fixtures);
});

let counter = 0;
async function server(over: Record<string, unknown>) {
  counter += 1;
  const res = await call(createServer, {
    token: admin.token,
    body: {
      display_name: `Srv ${counter}`,
      slug: `srv${counter}`,
      url: mcp.mcpUrl,
      enabled: true,
      auth_type: "api_key",
      api_key_header: "Authorization",
      api_key_value: "Bearer team-key",
      ...over,
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; slug: string };
}

async function newChat(token: string, body: Record<string, unknown> = {}) {
  const res = await call(createChat, { token, body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; mcp_server_ids: string[] };
}

const sendJson = (token: string, chatId: string, body: Record<string, unknown>) =>
  call(send, { token, params: { id: chatId }, body, headers: { accept: "application/json" } });

describe("a chat turn with external MCP tools", () => {
  it("offers exactly what the policy admits, calls tools and feeds results back", async () => {
    const selected = await server({
      tool_allow_list: ["echo", "add", "whoami"],
      tool_deny_list: ["add"],
      model_intent: true,
      forward_identity_headers: true,
    });
    const forced = await server({ availability: "force_on", tool_allow_list: ["read_docs"] });
    const optIn = await server({ availability: "default_off", tool_allow_list: ["echo"] });
    const disabled = await server({ enabled: false, availability: "force_on" });
    const chat = await newChat(member.token, { mcp_server_ids: [selected.id] });

    const key = `turn-${Date.now()}`;
    const script = fake.script(key, [
      {
        toolCalls: [
          {
            name: `${selected.slug}__echo`,
            arguments: { model_intent: "Echoing the greeting", properties: { text: "hi there" } },
          },
          {
            name: `${selected.slug}__whoami`,
            arguments: { model_intent: "Checking identity", properties: {} },
          },
        ],
      },
      { text: "All done." },
    ]);
    const res = await sendJson(member.token, chat.id, { content: `${key} please echo` });
    expect(res.status, JSON.stringify(res.body)).toBe(200);

    const [first, second] = script.requests();
    const offered = first!.toolNames;
    expect(offered).toContain(`${selected.slug}__echo`);
    expect(offered).toContain(`${selected.slug}__whoami`);
    expect(offered).not.toContain(`${selected.slug}__add`); // deny wins over allow
    expect(offered).not.toContain(`${selected.slug}__fail`); // not on the allow list
    expect(offered).toContain(`${forced.slug}__read_docs`); // force_on without selection
    expect(offered.some((n) => n.startsWith(`${optIn.slug}__`))).toBe(false); // default_off not selected
    expect(offered.some((n) => n.startsWith(`${disabled.slug}__`))).toBe(false);
    expect(offered).toEqual([...offered].sort());

    // model_intent wraps the schema offered to the model...
    const echoTool = first!.tools.find((tool) => tool.name === `${selected.slug}__echo`)!;
    expect(JSON.stringify(echoTool)).toContain("model_intent");
    // ...and never reaches the server.
    const calls = mcp.toolCalls().filter((c) => c.tool === "echo");
    expect(calls.at(-1)!.arguments).toEqual({ text: "hi there" });
    const who = mcp
      .toolCalls()
      .filter((c) => c.tool === "whoami")
      .at(-1)!;
    expect(who.headers.authorization).toBe("Bearer team-key");
    expect(who.headers["x-toolgate-user-id"]).toBe(member.user.id);
    expect(who.headers["x-toolgate-chat-id"]).toBe(chat.id);

    // Results go back to the model in the next request.
    expect(JSON.stringify(second!.messages)).toContain("hi there");

    const message = res.body.message;
    expect(message.role).toBe("assistant");
    expect(message.status).toBe("complete");
    const toolParts = message.parts.filter((p: { type: string }) => p.type === "tool");
    expect(toolParts[0]).toMatchObject({
      name: `${selected.slug}__echo`,
      tool_name: "echo",
      server_id: selected.id,
      source: "mcp",
      model_intent: "Echoing the greeting",
      input: { text: "hi there" },
      state: "complete",
    });
    expect(message.parts.at(-1)).toEqual({ type: "text", text: "All done." });
    expect(res.body.chat.status).toBe("idle");

    const reopened = await call(getChat, { token: member.token, params: { id: chat.id } });
    expect(reopened.body.messages.map((m: { role: string }) => m.role)).toEqual([
      "user",
      "assistant",
    ]);
    expect(reopened.body.messages[1].parts).toEqual(message.parts);
  });

  it("refuses a call to a tool that was not offered, without reaching the server", async () => {
    const s = await server({ tool_deny_list: ["fail"] });
    const chat = await newChat(member.token, { mcp_server_ids: [s.id] });
    const before = mcp.toolCalls().length;
    const key = `denied-${Date.now()}`;
    const script = fake.script(key, [
      { toolCalls: [{ name: `${s.slug}__fail`, arguments: {} }] },
      { text: "ok" },
    ]);
    const res = await sendJson(member.token, chat.id, { content: key });
    expect(res.status).toBe(200);
    expect(mcp.toolCalls().length).toBe(before);
    expect(JSON.stringify(script.requests()[1]!.messages)).toMatch(/fail/);
    const part = res.body.message.parts.find((p: { type: string }) => p.type === "tool");
    expect(part.is_error).toBe(true);
    expect(
      res.body.message.parts.some(
        (p: { type: string; code?: string }) => p.type === "notice" && p.code === "tool.denied",
      ),
    ).toBe(true);
  });

  it("turns a down server into one notice, and the answer still arrives", async () => {
    const port = await freePort();
    const down = await server({ url: `http://127.0.0.1:${port}/mcp` });
    const up = await server({ tool_allow_list: ["echo"] });
    const chat = await newChat(member.token, { mcp_server_ids: [down.id, up.id] });
    const key = `down-${Date.now()}`;
    const script = fake.script(key, [{ text: "Answer despite the outage." }]);
    const res = await sendJson(member.token, chat.id, { content: key });
    expect(res.status).toBe(200);
    const notices = res.body.message.parts.filter((p: { type: string }) => p.type === "notice");
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ code: "mcp.server_unavailable", server_id: down.id });
    expect(res.body.message.parts.at(-1)).toEqual({
      type: "text",
      text: "Answer despite the outage.",
    });
    expect(script.requests()[0]!.toolNames).toContain(`${up.slug}__echo`);

    // Negative cache: the next turn does not wait for the dead server again.
    const again = `${key}-again`;
    fake.script(again, [{ text: "Second." }]);
    const started = Date.now();
    await sendJson(member.token, chat.id, { content: again });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("reports a server needing OIDC sign-in as a notice", async () => {
    const s = await server({ auth_type: "user_oidc", api_key_header: "", api_key_value: "" });
    const chat = await newChat(member.token, { mcp_server_ids: [s.id] });
    const key = `oidc-${Date.now()}`;
    fake.script(key, [{ text: "fine" }]);
    const res = await sendJson(member.token, chat.id, { content: key });
    const notice = res.body.message.parts.find((p: { type: string }) => p.type === "notice");
    expect(notice).toMatchObject({ code: "mcp.auth_required", server_id: s.id });
  });

  it("explains the effective tool set", async () => {
    const s = await server({
      tool_allow_list: ["echo", "add"],
      tool_deny_list: ["add"],
      allow_in_plan_mode: true,
      plan_mode_tools: ["echo"],
    });
    const chat = await newChat(member.token, { mcp_server_ids: [s.id] });
    const normal = await call(chatTools, { token: member.token, params: { id: chat.id } });
    const rows = normal.body.filter((r: { server_id?: string }) => r.server_id === s.id);
    expect(rows.find((r: { name: string }) => r.name === `${s.slug}__echo`)).toMatchObject({
      available: true,
      reason: "allowed",
    });
    expect(rows.find((r: { name: string }) => r.name === `${s.slug}__add`)).toMatchObject({
      available: false,
      reason: "denied_by_deny_list",
    });
    const plan = await call(chatTools, {
      token: member.token,
      params: { id: chat.id },
      path: "/x?plan_mode=true",
    });
    const planRows = plan.body.filter((r: { server_id?: string }) => r.server_id === s.id);
    expect(planRows.find((r: { name: string }) => r.name === `${s.slug}__read_docs`)).toMatchObject(
      { available: false, reason: "not_in_allow_list" },
    );
    expect(planRows.find((r: { name: string }) => r.name === `${s.slug}__echo`)).toMatchObject({
      available: true,
    });
  });
});

describe("turn lifecycle", () => {
  it("streams the UI message stream, answers 409 while busy, resumes and cancels", async () => {
    const chat = await newChat(member.token, { mcp_server_ids: [] });
    const key = `slow-${Date.now()}`;
    fake.script(key, [
      { text: "one two three four five six seven eight nine ten", chunkDelayMs: 400 },
    ]);
    const res = await call(send, {
      token: member.token,
      params: { id: chat.id },
      body: { content: key },
    });
    // call() reads the whole body: by then the turn is over and the stream has ended.
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    expect(res.headers.get("x-vercel-ai-ui-message-stream")).toBe("v1");
    const events = String(res.body)
      .split("\n\n")
      .filter(Boolean)
      .map((e) => e.replace(/^data: /, ""));
    expect(events.at(-1)).toBe("[DONE]");
    const chunks = events
      .slice(0, -1)
      .map((e) => JSON.parse(e) as { type: string; delta?: string });
    expect(chunks[0]!.type).toBe("start");
    expect(chunks.map((c) => c.type)).toContain("text-delta");
    expect(chunks.at(-1)!.type).toBe("finish");
    expect(
      chunks
        .filter((c) => c.type === "text-delta")
        .map((c) => c.delta)
        .join(""),
    ).toBe("one two three four five six seven eight nine ten");
    expect((await call(resume, { token: member.token, params: { id: chat.id } })).status).toBe(204);

    // A slow turn in a fresh chat (the fake model matches scripts on the first user message):
    // busy, resumable from another request, then cancelled.
    const chat2 = await newChat(member.token, { mcp_server_ids: [] });
    const slow = `slow2-${Date.now()}`;
    fake.script(slow, [{ text: "a b c d e f g h i j k l m n o p", chunkDelayMs: 300 }]);
    const req = new Request(`${ORIGIN}/api/chats/${chat2.id}/messages`, {
      method: "POST",
      headers: { authorization: `Bearer ${member.token}`, "content-type": "application/json" },
      body: JSON.stringify({ content: slow }),
    });
    const live = await send(req, { params: Promise.resolve({ id: chat2.id }) });
    expect(live.status).toBe(200);
    const busy = await sendJson(member.token, chat2.id, { content: "another" });
    expect(busy.status).toBe(409);
    expect(busy.body.code).toBe("chat.busy");
    // The selection is stored with the turn's start: a busy chat keeps the one it had.
    const picked = await server({});
    const busyPick = await sendJson(member.token, chat2.id, {
      content: "another",
      mcp_server_ids: [picked.id],
    });
    expect(busyPick.status).toBe(409);
    const unchanged = await call(getChat, { token: member.token, params: { id: chat2.id } });
    expect(unchanged.body.mcp_server_ids).toEqual([]);

    const resumed = await resume(
      new Request(`${ORIGIN}/api/chats/${chat2.id}/stream`, {
        headers: { authorization: `Bearer ${member.token}` },
      }),
      { params: Promise.resolve({ id: chat2.id }) },
    );
    expect(resumed.status).toBe(200);
    const reader = resumed.body!.getReader();
    const firstRead = new TextDecoder().decode((await reader.read()).value);
    expect(firstRead).toContain('"type":"start"');

    const stopped = await call(cancel, {
      token: member.token,
      method: "POST",
      params: { id: chat2.id },
    });
    expect(stopped.body).toEqual({ cancelled: true });
    let rest = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      rest += new TextDecoder().decode(value);
    }
    expect(rest).toContain('"type":"abort"');
    await live.body?.cancel();

    const [turn] = await t.db.select().from(turns).where(eq(turns.chatId, chat2.id));
    expect(turn!.status).toBe("cancelled");
    const stored = await t.db.select().from(messages).where(eq(messages.chatId, chat2.id));
    expect(
      stored
        .filter((m) => m.role === "assistant")
        .map((m) => m.status)
        .sort(),
    ).toEqual(["cancelled"]);
  });

  it("keeps chats private and validates input", async () => {
    const chat = await newChat(member.token);
    expect((await call(getChat, { token: admin.token, params: { id: chat.id } })).status).toBe(404);
    expect((await sendJson(admin.token, chat.id, { content: "hi" })).status).toBe(404);
    const cases: [unknown, number, string][] = [
      [{}, 400, "validation.invalid"],
      [{ content: 5 }, 400, "validation.invalid"],
      [{ content: "x", extra: 1 }, 400, "validation.unknown_field"],
      [
        { content: "x", mcp_server_ids: ["00000000-0000-4000-8000-000000000009"] },
        400,
        "chat.mcp_server_not_allowed",
      ],
      [{ content: "x".repeat(1024 * 1024 + 1) }, 413, "request.too_large"],
    ];
    for (const [body, status, code] of cases) {
      const res = await sendJson(member.token, chat.id, body as Record<string, unknown>);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(status);
      expect(res.body.code).toBe(code);
    }
    expect(
      (await call(send, { token: member.token, params: { id: "nope" }, body: { content: "x" } }))
        .body.code,
    ).toBe("validation.id");
    const stored = await t.db.select().from(messages).where(eq(messages.chatId, chat.id));
    expect(stored).toHaveLength(0);
  });
});

describe("a real turn against server-everything", () => {
  let everything: RunningEverything;
  beforeAll(async () => {
    everything = await startEverything("streamableHttp");
  });
  afterAll(async () => {
    await everything?.close();
  });

  it("calls its echo tool", async () => {
    const s = await server({
      url: everything.url,
      auth_type: "none",
      api_key_header: "",
      api_key_value: "",
      tool_allow_list: ["echo", "get-sum"],
    });
    const chat = await newChat(member.token, { mcp_server_ids: [s.id] });
    const key = `everything-${Date.now()}`;
    const script = fake.script(key, [
      { toolCalls: [{ name: `${s.slug}__get-sum`, arguments: { a: 2, b: 40 } }] },
      { text: "The sum is 42." },
    ]);
    const res = await sendJson(member.token, chat.id, { content: key });
    const part = res.body.message.parts.find((p: { type: string }) => p.type === "tool");
    expect(part.state).toBe("complete");
    expect(JSON.stringify(part.output)).toContain("42");
    expect(JSON.stringify(script.requests()[1]!.messages)).toContain("42");
  });
});
