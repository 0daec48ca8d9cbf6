// Hostile MCP servers in real turns, what they must not get away with: echoing credentials,
// arguments their schema rules out, learning addresses from notices, or one undecryptable
// config failing every turn. Route handlers, the fake model, the hostile MCP test server
// (e2e/fixtures/mcp-hostile.ts) and the real database.
import { describe, expect, it, vi } from "vitest";
import { eq, inArray } from "drizzle-orm";
import { freePort } from "@/e2e/fixtures/server-everything";
import { mcpServerConfigs, messages, turnChunks, turns } from "@/db/schema";
import { GET as getServer } from "@/app/api/mcp/servers/[id]/route";
import { assembleTurnTools } from "@/lib/chat/tools/assemble";
import { turnContextOf } from "@/lib/chat/tools/context";
import { REDACTION_MARKER } from "@/lib/mcp/redact";
import { sealServerSecret } from "@/lib/mcp-config/secrets";
import { call } from "@/lib/testing/http";
import { noticesOf, withHostileTurns } from "@/lib/testing/hostile-turns";
import { GET as getChat } from "../route";

const h = withHostileTurns();

const API_KEY = "sk-live-7d1e2f3a4b5c6d7e8f9a";
const HEADER_SECRET = "team/secret+value=42&more";

/** Everything stored for a chat: message parts and stream chunks, as one string. */
async function storedFor(chatId: string): Promise<string> {
  const rows = await h.db.select().from(messages).where(eq(messages.chatId, chatId));
  const turnRows = await h.db.select().from(turns).where(eq(turns.chatId, chatId));
  const ids = turnRows.map((turn) => turn.id);
  const chunks =
    ids.length === 0
      ? []
      : await h.db.select().from(turnChunks).where(inArray(turnChunks.turnId, ids));
  return JSON.stringify([rows.map((r) => r.parts), chunks.map((c) => c.chunk)]);
}

describe("credentials echoed by a server", () => {
  it("never reach the model, the chat or the database, in any common encoding", async () => {
    const keyed = await h.server({
      auth_type: "api_key",
      api_key_header: "Authorization",
      api_key_value: `Bearer ${API_KEY}`,
      forward_identity_headers: true,
      tool_allow_list: ["echo_headers_encoded", "fail_with_headers"],
    });
    const headered = await h.server({
      auth_type: "custom_headers",
      custom_headers: { "X-Team-Secret": HEADER_SECRET },
      tool_allow_list: ["echo_headers_encoded"],
    });
    const chat = await h.newChat(h.member.token, [keyed.id, headered.id]);
    const k = h.key("echo");
    const script = h.fake.script(k, [
      {
        toolCalls: [
          { name: `${keyed.slug}__echo_headers_encoded`, arguments: {} },
          { name: `${keyed.slug}__fail_with_headers`, arguments: {} },
          { name: `${headered.slug}__echo_headers_encoded`, arguments: {} },
        ],
      },
      { text: "Echoed." },
    ]);
    const res = await h.sendJson(h.member.token, chat.id, k);
    expect(res.status, JSON.stringify(res.body)).toBe(200);

    // The server did receive them (so an echo would have leaked)...
    const received = h.mcp.toolCalls().filter((c) => c.tool === "echo_headers_encoded");
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
      (await call(getChat, { token: h.member.token, params: { id: chat.id } })).body,
    );
    const stored = await storedFor(chat.id);
    for (const [where, text] of Object.entries({ toModel, shown, stored })) {
      for (const form of forms) expect(text, `${where}: ${form}`).not.toContain(form);
      expect(text, where).toContain(REDACTION_MARKER);
      // An identity header is not a secret: it comes back as sent.
      expect(text, where).toContain(h.member.user.id);
    }
  });
});

describe("arguments", () => {
  it("are checked against the tool's input schema before anything is sent", async () => {
    const s = await h.server({ tool_allow_list: ["strict_args"] });
    const chat = await h.newChat(h.member.token, [s.id]);
    const k = h.key("args");
    const before = h.mcp.toolCalls().filter((c) => c.tool === "strict_args").length;
    const script = h.fake.script(k, [
      { toolCalls: [{ name: `${s.slug}__strict_args`, arguments: { count: 0, mode: "c", x: 1 } }] },
      { toolCalls: [{ name: `${s.slug}__strict_args`, arguments: { count: 3, mode: "b" } }] },
      { text: "Done." },
    ]);
    const res = await h.sendJson(h.member.token, chat.id, k);
    expect(res.status).toBe(200);
    const calls = h.mcp
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
    const down = await h.server({ url: `http://127.0.0.1:${port}/mcp`, display_name: "Billing" });
    const forMember = await h.sendJson(
      h.member.token,
      (await h.newChat(h.member.token, [down.id])).id,
      h.key("m"),
    );
    const forAdmin = await h.sendJson(
      h.admin.token,
      (await h.newChat(h.admin.token, [down.id])).id,
      h.key("a"),
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

describe("a force_on server whose credentials no longer decrypt", () => {
  it("is skipped with a notice; the turn goes on and the admin sees why", async () => {
    const broken = await h.server({
      availability: "force_on",
      display_name: "Broken vault",
      auth_type: "api_key",
      api_key_header: "X-Api-Key",
      api_key_value: "some-api-key-value",
    });
    // Sealed for another row: authentication of the ciphertext fails, as after a key mix-up.
    await h.db
      .update(mcpServerConfigs)
      .set({ apiKeyValueEnc: sealServerSecret("api_key_value_enc", h.member.user.id, "x") })
      .where(eq(mcpServerConfigs.id, broken.id));
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const chat = await h.newChat(h.member.token, []);
      const k = h.key("vault");
      h.fake.script(k, [{ text: "Answered anyway." }]);
      const res = await h.sendJson(h.member.token, chat.id, k);
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
      const status = await call(getServer, { token: h.admin.token, params: { id: broken.id } });
      expect(status.body.status).toMatchObject({ state: "error" });
      expect(status.body.status.detail).toContain("SECRETS_KEYS");
    } finally {
      await h.db
        .update(mcpServerConfigs)
        .set({ enabled: false })
        .where(eq(mcpServerConfigs.id, broken.id));
    }
  });
});

describe("a call the policy refuses at execution", () => {
  it("is an error result and one notice, not a thrown failure", async () => {
    const s = await h.server({ tool_allow_list: ["strict_args"] });
    const notices: unknown[] = [];
    const chat = { id: "c", parentChatId: null, workspaceId: null, mcpServerIds: [s.id] };
    const context = turnContextOf(chat, { id: h.member.user.id, role: "member" }, false, "root");
    const assembled = await assembleTurnTools(h.db, context, {
      onNotice: (n) => notices.push(n),
    });
    // Disabled between the offer and the call.
    await h.db
      .update(mcpServerConfigs)
      .set({ enabled: false, version: 99 })
      .where(eq(mcpServerConfigs.id, s.id));
    const before = h.mcp.toolCalls().length;
    const output = await assembled.tools[`${s.slug}__strict_args`]!.execute!(
      { count: 1, mode: "a" },
      { toolCallId: "late-1", messages: [] },
    );
    const text = `The tool ${s.slug}__strict_args is not available: the server is disabled.`;
    expect(output).toEqual({ is_error: true, code: "tool.denied", text });
    expect(notices).toEqual([{ code: "tool.denied", detail: text, server_id: s.id }]);
    expect(assembled.denied.has("late-1")).toBe(true);
    expect(h.mcp.toolCalls().length).toBe(before);
  });
});
