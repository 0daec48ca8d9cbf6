// Hostile MCP servers in real turns, what must not break a turn: NUL bytes and lone
// surrogates, calls to tools that were not offered or with input that does not parse, and
// servers with thousands of tools. Route handlers, the fake model, the hostile MCP test
// server (e2e/fixtures/mcp-hostile.ts) and the real database.
import { afterEach, describe, expect, it, vi } from "vitest";
import { POST as testConnection } from "@/app/api/mcp/servers/[id]/test/route";
import { call } from "@/lib/testing/http";
import { noticesOf, withHostileTurns } from "@/lib/testing/hostile-turns";
import { GET as getChat } from "../route";
import { GET as chatTools } from "../tools/route";

const h = withHostileTurns();

describe("NUL bytes and lone surrogates", () => {
  it("in tool results and model text are stored as replacement characters", async () => {
    const s = await h.server({ tool_allow_list: ["nul_bytes"] });
    const chat = await h.newChat(h.member.token, [s.id]);
    const k = h.key("nul");
    h.fake.script(k, [
      { toolCalls: [{ name: `${s.slug}__nul_bytes`, arguments: {} }] },
      { text: "model says a\u0000b" },
    ]);
    const res = await h.sendJson(h.member.token, chat.id, k);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.message.status).toBe("complete");
    expect(res.body.chat.status).toBe("idle");
    const text = JSON.stringify(res.body.message.parts);
    expect(text).toContain("before\uFFFDafter \uFFFD and \uFFFD end");
    expect(res.body.message.parts.at(-1)).toEqual({ type: "text", text: "model says a\uFFFDb" });
    const reopened = await call(getChat, { token: h.member.token, params: { id: chat.id } });
    expect(reopened.body.messages[1].parts).toEqual(res.body.message.parts);
  });
});

describe("a call to a tool that was not offered", () => {
  it("gets one notice, a truthful part and no error log", async () => {
    const s = await h.server({ tool_allow_list: ["strict_args"] });
    const chat = await h.newChat(h.member.token, [s.id]);
    const errors = vi.spyOn(console, "error");
    const k = h.key("unknown");
    const script = h.fake.script(k, [
      { toolCalls: [{ name: `${s.slug}__nul_bytes`, arguments: {} }] },
      { text: "ok" },
    ]);
    const res = await h.sendJson(h.member.token, chat.id, k);
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
    const s = await h.server({ tool_allow_list: ["strict_args"] });
    const chat = await h.newChat(h.member.token, [s.id]);
    const errors = vi.spyOn(console, "error");
    const k = h.key("garbled");
    h.fake.script(k, [
      { toolCalls: [{ name: `${s.slug}__strict_args`, arguments: '{"count": 1,' }] },
      { text: "ok" },
    ]);
    const res = await h.sendJson(h.member.token, chat.id, k);
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
    const many = await h.startServer({ tools: [], manyTools: { count: 300 } });
    process.env.MCP_MAX_TOOLS_PER_SERVER = "20";
    process.env.MCP_MAX_TOOLS_PER_TURN = "40";
    const first = await h.server({ url: many.mcpUrl });
    const second = await h.server({ url: many.mcpUrl });
    const chat = await h.newChat(h.member.token, [first.id, second.id]);
    const k = h.key("many");
    const script = h.fake.script(k, [{ text: "Fine." }]);
    const res = await h.sendJson(h.member.token, chat.id, k);
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

    const rows = (await call(chatTools, { token: h.member.token, params: { id: chat.id } }))
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
    const wordy = await h.startServer({
      tools: [],
      manyTools: { count: 3, descriptionChars: 200_000 },
    });
    const s = await h.server({ url: wordy.mcpUrl });
    const res = await call(testConnection, {
      token: h.admin.token,
      method: "POST",
      params: { id: s.id },
    });
    expect(res.status).toBe(200);
    expect(res.body.tools).toHaveLength(3);
    for (const tool of res.body.tools) expect(tool.description.length).toBeLessThanOrEqual(2_000);
  });
});
