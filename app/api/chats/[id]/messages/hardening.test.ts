// Hostile MCP servers in real turns: the route handlers, the fake OpenAI-compatible model, the
// hostile MCP test server (e2e/fixtures/mcp-hostile.ts) and the real database.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { eq, inArray } from "drizzle-orm";
import { startFakeOpenAI, type FakeOpenAI } from "@/e2e/fixtures/fake-openai";
import { startMcpTestServer, type RunningMcpTestServer } from "@/e2e/fixtures/mcp-test-server";
import { freePort } from "@/e2e/fixtures/server-everything";
import { mcpServerConfigs, messages, modelProviders, turnChunks, turns } from "@/db/schema";
import { POST as createServer } from "@/app/api/mcp/servers/route";
import { GET as getServer } from "@/app/api/mcp/servers/[id]/route";
import { getMcpPool } from "@/lib/mcp/pool";
import { REDACTION_MARKER } from "@/lib/mcp/redact";
import { sealServerSecret } from "@/lib/mcp-config/secrets";
import { call } from "@/lib/testing/http";
import { withTestDatabase } from "@/lib/testing/db";
import { seedUser } from "@/lib/testing/fixtures";
import { GET as getChat } from "../route";
import { POST as createChat } from "../../route";
import { GET as chatTools } from "../tools/route";
import { POST as send } from "./route";

const t = withTestDatabase();
let fake: FakeOpenAI;
let mcp: RunningMcpTestServer;
let admin: Awaited<ReturnType<typeof seedUser>>;
let member: Awaited<ReturnType<typeof seedUser>>;
const previousAllowlist = process.env.EGRESS_ALLOWLIST;
const extraServers: RunningMcpTestServer[] = [];

const API_KEY = "sk-live-7d1e2f3a4b5c6d7e8f9a";
const HEADER_SECRET = "team/secret+value=42&more";

beforeAll(async () => {
  process.env.EGRESS_ALLOWLIST = "127.0.0.1";
  fake = await startFakeOpenAI();
  mcp = await startMcpTestServer({ hostile: true });
  admin = await seedUser(t.db, { role: "admin" });
  member = await seedUser(t.db, { role: "member" });
  await t.db.insert(modelProviders).values({
    kind: "openai-compatible",
    displayName: "Fake",
    baseUrl: fake.url,
    models: ["fake-model"],
    defaultModel: "fake-model",
  });
});

afterEach(() => {
  vi.restoreAllMocks();
});

afterAll(async () => {
  await getMcpPool().close();
  await fake?.close();
  await mcp?.close();
  await Promise.all(extraServers.map((s) => s.close()));
  if (previousAllowlist === undefined) delete process.env.EGRESS_ALLOWLIST;
  else process.env.EGRESS_ALLOWLIST = previousAllowlist;
});

let counter = 0;
async function server(over: Record<string, unknown>) {
  counter += 1;
  const res = await call(createServer, {
    token: admin.token,
    body: {
      display_name: `Hostile ${counter}`,
      slug: `hostile${counter}`,
      url: mcp.mcpUrl,
      enabled: true,
      auth_type: "none",
      ...over,
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; slug: string; display_name: string };
}

async function newChat(token: string, ids: string[]) {
  const res = await call(createChat, { token, body: { mcp_server_ids: ids } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string };
}

type StoredPart = { type: string; code?: string; detail?: string; [k: string]: unknown };
const sendJson = (token: string, chatId: string, content: string) =>
  call<{ message: { status: string; parts: StoredPart[] }; chat: { status: string } }>(send, {
    token,
    params: { id: chatId },
    body: { content },
    headers: { accept: "application/json" },
  });
const key = (label: string) => `${label}-${++counter}-${Date.now()}`;
const noticesOf = (parts: StoredPart[]) => parts.filter((p) => p.type === "notice");

/** Everything stored for a chat: message parts and stream chunks, as one string. */
async function storedFor(chatId: string): Promise<string> {
  const rows = await t.db.select().from(messages).where(eq(messages.chatId, chatId));
  const turnRows = await t.db.select().from(turns).where(eq(turns.chatId, chatId));
  const ids = turnRows.map((turn) => turn.id);
  const chunks =
    ids.length === 0
      ? []
      : await t.db.select().from(turnChunks).where(inArray(turnChunks.turnId, ids));
  return JSON.stringify([rows.map((r) => r.parts), chunks.map((c) => c.chunk)]);
}

describe("credentials echoed by a server", () => {
  it("never reach the model, the chat or the database, in any common encoding", async () => {
    const keyed = await server({
      auth_type: "api_key",
      api_key_header: "Authorization",
      api_key_value: `Bearer ${API_KEY}`,
      forward_identity_headers: true,
      tool_allow_list: ["echo_headers_encoded", "fail_with_headers"],
    });
    const headered = await server({
      auth_type: "custom_headers",
      custom_headers: { "X-Team-Secret": HEADER_SECRET },
      tool_allow_list: ["echo_headers_encoded"],
    });
    const chat = await newChat(member.token, [keyed.id, headered.id]);
    const k = key("echo");
    const script = fake.script(k, [
      {
        toolCalls: [
          { name: `${keyed.slug}__echo_headers_encoded`, arguments: {} },
          { name: `${keyed.slug}__fail_with_headers`, arguments: {} },
          { name: `${headered.slug}__echo_headers_encoded`, arguments: {} },
        ],
      },
      { text: "Echoed." },
    ]);
    const res = await sendJson(member.token, chat.id, k);
    expect(res.status, JSON.stringify(res.body)).toBe(200);

    // The server did receive them (so an echo would have leaked)...
    const received = mcp.toolCalls().filter((c) => c.tool === "echo_headers_encoded");
    expect(received.map((c) => c.headers.authorization)).toContain(`Bearer ${API_KEY}`);
    expect(received.map((c) => c.headers["x-team-secret"])).toContain(HEADER_SECRET);

    const forms = [
      API_KEY,
      HEADER_SECRET,
      encodeURIComponent(HEADER_SECRET),
      JSON.stringify(HEADER_SECRET).slice(1, -1),
      Buffer.from(API_KEY).toString("hex"),
      Buffer.from(HEADER_SECRET).toString("hex"),
    ];
    const toModel = JSON.stringify(script.requests()[1]!.messages);
    const shown = JSON.stringify(
      (await call(getChat, { token: member.token, params: { id: chat.id } })).body,
    );
    const stored = await storedFor(chat.id);
    for (const [where, text] of Object.entries({ toModel, shown, stored })) {
      for (const form of forms) expect(text, `${where}: ${form}`).not.toContain(form);
      expect(text, where).toContain(REDACTION_MARKER);
      // An identity header is not a secret: it comes back as sent.
      expect(text, where).toContain(member.user.id);
    }
  });
});

describe("arguments", () => {
  it("are checked against the tool's input schema before anything is sent", async () => {
    const s = await server({ tool_allow_list: ["strict_args"] });
    const chat = await newChat(member.token, [s.id]);
    const k = key("args");
    const before = mcp.toolCalls().filter((c) => c.tool === "strict_args").length;
    const script = fake.script(k, [
      { toolCalls: [{ name: `${s.slug}__strict_args`, arguments: { count: 0, mode: "c", x: 1 } }] },
      { toolCalls: [{ name: `${s.slug}__strict_args`, arguments: { count: 3, mode: "b" } }] },
      { text: "Done." },
    ]);
    const res = await sendJson(member.token, chat.id, k);
    expect(res.status).toBe(200);
    const calls = mcp
      .toolCalls()
      .filter((c) => c.tool === "strict_args")
      .slice(before);
    expect(calls.map((c) => c.arguments)).toEqual([{ count: 3, mode: "b" }]);
    const corrected = JSON.stringify(script.requests()[1]!.messages);
    expect(corrected).toContain("Invalid arguments for tool");
    expect(corrected).toContain("/count must be >= 1");
    expect(corrected).toContain("/mode must be one of");
    const tools = res.body.message.parts.filter((p) => p.type === "tool");
    expect(tools.map((p) => p.state)).toEqual(["error", "complete"]);
  });
});

describe("notices about a failing server", () => {
  it("name the server to members and give admins the details", async () => {
    const port = await freePort();
    const down = await server({ url: `http://127.0.0.1:${port}/mcp`, display_name: "Billing" });
    const forMember = await sendJson(
      member.token,
      (await newChat(member.token, [down.id])).id,
      key("m"),
    );
    const forAdmin = await sendJson(
      admin.token,
      (await newChat(admin.token, [down.id])).id,
      key("a"),
    );
    const [memberNotice] = noticesOf(forMember.body.message.parts);
    const [adminNotice] = noticesOf(forAdmin.body.message.parts);
    expect(memberNotice).toMatchObject({ code: "mcp.server_unavailable", server_id: down.id });
    expect(memberNotice!.detail).toBe(
      "Billing: the server could not be reached. An administrator can see the details.",
    );
    expect(memberNotice!.detail).not.toContain(String(port));
    expect(adminNotice!.detail).toContain(`127.0.0.1:${port}`);
  });
});

describe("NUL bytes and lone surrogates", () => {
  it("in tool results and model text are stored as replacement characters", async () => {
    const s = await server({ tool_allow_list: ["nul_bytes"] });
    const chat = await newChat(member.token, [s.id]);
    const k = key("nul");
    fake.script(k, [
      { toolCalls: [{ name: `${s.slug}__nul_bytes`, arguments: {} }] },
      { text: "model says a\u0000b" },
    ]);
    const res = await sendJson(member.token, chat.id, k);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.message.status).toBe("complete");
    expect(res.body.chat.status).toBe("idle");
    const text = JSON.stringify(res.body.message.parts);
    expect(text).toContain("before\uFFFDafter \uFFFD and \uFFFD end");
    expect(res.body.message.parts.at(-1)).toEqual({ type: "text", text: "model says a\uFFFDb" });
    const reopened = await call(getChat, { token: member.token, params: { id: chat.id } });
    expect(reopened.body.messages[1].parts).toEqual(res.body.message.parts);
  });
});

describe("a call to a tool that was not offered", () => {
  it("gets one notice, a truthful part and no error log", async () => {
    const s = await server({ tool_allow_list: ["strict_args"] });
    const chat = await newChat(member.token, [s.id]);
    const errors = vi.spyOn(console, "error");
    const k = key("unknown");
    const script = fake.script(k, [
      { toolCalls: [{ name: `${s.slug}__nul_bytes`, arguments: {} }] },
      { text: "ok" },
    ]);
    const res = await sendJson(member.token, chat.id, k);
    expect(res.status).toBe(200);
    const notices = noticesOf(res.body.message.parts);
    expect(notices).toEqual([
      {
        type: "notice",
        code: "tool.denied",
        detail: `The tool ${s.slug}__nul_bytes is not available: it is not offered in this chat.`,
      },
    ]);
    const part = res.body.message.parts.find((p) => p.type === "tool");
    expect(part).toMatchObject({
      state: "denied",
      is_error: true,
      output: `The tool ${s.slug}__nul_bytes is not available: it is not offered in this chat.`,
    });
    expect(JSON.stringify(script.requests()[1]!.messages)).toContain("unavailable tool");
    expect(errors).not.toHaveBeenCalled();
  });
});

describe("a call whose input does not parse", () => {
  it("is the model's mistake: an error part saying so, no error log", async () => {
    const s = await server({ tool_allow_list: ["strict_args"] });
    const chat = await newChat(member.token, [s.id]);
    const errors = vi.spyOn(console, "error");
    const k = key("garbled");
    fake.script(k, [
      { toolCalls: [{ name: `${s.slug}__strict_args`, arguments: '{"count": 1,' }] },
      { text: "ok" },
    ]);
    const res = await sendJson(member.token, chat.id, k);
    expect(res.status).toBe(200);
    const part = res.body.message.parts.find((p) => p.type === "tool");
    expect(part).toMatchObject({ state: "error", is_error: true });
    expect(String(part!.output)).toContain(`Invalid input for tool ${s.slug}__strict_args`);
    expect(errors).not.toHaveBeenCalled();
  });
});

describe("tool caps", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env.MCP_MAX_TOOLS_PER_SERVER = saved.MCP_MAX_TOOLS_PER_SERVER;
    process.env.MCP_MAX_TOOLS_PER_TURN = saved.MCP_MAX_TOOLS_PER_TURN;
    if (saved.MCP_MAX_TOOLS_PER_SERVER === undefined) delete process.env.MCP_MAX_TOOLS_PER_SERVER;
    if (saved.MCP_MAX_TOOLS_PER_TURN === undefined) delete process.env.MCP_MAX_TOOLS_PER_TURN;
  });

  it("cut tools per server and per turn, named in the explainer and in a notice", async () => {
    const many = await startMcpTestServer({ tools: [], manyTools: { count: 300 } });
    extraServers.push(many);
    process.env.MCP_MAX_TOOLS_PER_SERVER = "20";
    process.env.MCP_MAX_TOOLS_PER_TURN = "40";
    const first = await server({ url: many.mcpUrl });
    const second = await server({ url: many.mcpUrl });
    const chat = await newChat(member.token, [first.id, second.id]);
    const k = key("many");
    const script = fake.script(k, [{ text: "Fine." }]);
    const res = await sendJson(member.token, chat.id, k);
    expect(res.status).toBe(200);
    const offered = script.requests()[0]!.toolNames;
    expect(offered.length).toBeLessThanOrEqual(40);
    expect(offered.filter((n) => n.startsWith(`${first.slug}__`))).toHaveLength(20);
    const fromSecond = offered.filter((n) => n.startsWith(`${second.slug}__`)).length;
    expect(fromSecond).toBeGreaterThan(0);
    expect(fromSecond).toBeLessThan(20);
    const notices = noticesOf(res.body.message.parts).filter(
      (n) => n.code === "mcp.too_many_tools",
    );
    expect(notices.map((n) => n.server_id ?? null)).toEqual([first.id, second.id, null]);

    const rows = (await call(chatTools, { token: member.token, params: { id: chat.id } }))
      .body as Array<{ name: string; available: boolean; reason: string }>;
    const reasons = (slug: string) =>
      new Set(
        rows.filter((r) => r.name.startsWith(`${slug}__`) && !r.available).map((r) => r.reason),
      );
    expect(reasons(first.slug)).toEqual(new Set(["too_many_tools_on_server"]));
    expect(reasons(second.slug)).toEqual(
      new Set(["too_many_tools_on_server", "too_many_tools_in_turn"]),
    );
  });

  it("cap descriptions in the admin's test connection", async () => {
    const wordy = await startMcpTestServer({
      tools: [],
      manyTools: { count: 3, descriptionChars: 200_000 },
    });
    extraServers.push(wordy);
    const s = await server({ url: wordy.mcpUrl });
    const { POST: testConnection } = await import("@/app/api/mcp/servers/[id]/test/route");
    const res = await call(testConnection, {
      token: admin.token,
      method: "POST",
      params: { id: s.id },
    });
    expect(res.status).toBe(200);
    expect(res.body.tools).toHaveLength(3);
    for (const tool of res.body.tools) expect(tool.description.length).toBeLessThanOrEqual(2_000);
  });
});

describe("a force_on server whose credentials no longer decrypt", () => {
  it("is skipped with a notice; the turn goes on and the admin sees why", async () => {
    const broken = await server({
      availability: "force_on",
      display_name: "Broken vault",
      auth_type: "api_key",
      api_key_header: "X-Api-Key",
      api_key_value: "some-api-key-value",
    });
    // Sealed for another row: authentication of the ciphertext fails, as after a key mix-up.
    await t.db
      .update(mcpServerConfigs)
      .set({ apiKeyValueEnc: sealServerSecret("api_key_value_enc", member.user.id, "x") })
      .where(eq(mcpServerConfigs.id, broken.id));
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const chat = await newChat(member.token, []);
      const k = key("vault");
      fake.script(k, [{ text: "Answered anyway." }]);
      const res = await sendJson(member.token, chat.id, k);
      expect(res.status).toBe(200);
      expect(res.body.message.parts.at(-1)).toEqual({ type: "text", text: "Answered anyway." });
      expect(noticesOf(res.body.message.parts)).toContainEqual({
        type: "notice",
        code: "mcp.server_unavailable",
        server_id: broken.id,
        detail:
          "Broken vault: the server is unavailable right now. An administrator can see the details.",
      });
      expect(errors.mock.calls.map((c) => String(c[0])).join("\n")).toContain(
        `server ${broken.slug} skipped`,
      );
      const status = await call(getServer, { token: admin.token, params: { id: broken.id } });
      expect(status.body.status).toMatchObject({ state: "error" });
      expect(status.body.status.detail).toContain("SECRETS_KEYS");
    } finally {
      await t.db
        .update(mcpServerConfigs)
        .set({ enabled: false })
        .where(eq(mcpServerConfigs.id, broken.id));
    }
  });
});

describe("a call the policy refuses at execution", () => {
  it("is an error result and one notice, not a thrown failure", async () => {
    const { assembleMcpTools } = await import("@/lib/chat/tool-assembly");
    const s = await server({ tool_allow_list: ["strict_args"] });
    const notices: unknown[] = [];
    const assembled = await assembleMcpTools(t.db, {
      audience: "member",
      identity: { userId: member.user.id, chatId: "c", rootChatId: "c", workspaceId: null },
      selectedServerIds: [s.id],
      turn: { planMode: false, agent: "root" },
      onNotice: (n) => notices.push(n),
    });
    // Disabled between the offer and the call.
    await t.db
      .update(mcpServerConfigs)
      .set({ enabled: false, version: 99 })
      .where(eq(mcpServerConfigs.id, s.id));
    const before = mcp.toolCalls().length;
    const output = await assembled.tools[`${s.slug}__strict_args`]!.execute!(
      { count: 1, mode: "a" },
      { toolCallId: "late-1", messages: [] },
    );
    const text = `The tool ${s.slug}__strict_args is not available: the server is disabled.`;
    expect(output).toEqual({ is_error: true, code: "tool.denied", text });
    expect(notices).toEqual([{ code: "tool.denied", detail: text, server_id: s.id }]);
    expect(assembled.denied.has("late-1")).toBe(true);
    expect(mcp.toolCalls().length).toBe(before);
  });
});
