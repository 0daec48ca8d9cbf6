// Tool results beyond text in real turns: output schemas a result breaks or ignores, an output
// schema with a remote `$ref` (never fetched), resource links and embedded resources, and
// progress notifications streamed (throttled) to the chat. Route handlers, the fake model, a
// real MCP SDK server (e2e/fixtures/mcp-tool-results.ts) and the real database.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  FILE_LINK,
  HTTPS_LINK,
  NOTES_TEXT,
  NOTES_URI,
  progressStepMessage,
} from "@/e2e/fixtures/mcp-tool-results";
import { PROGRESS_INTERVAL_MS } from "@/lib/chat/tool-progress";
import { withTestDatabase } from "@/lib/testing/db";
import { call } from "@/lib/testing/http";
import { withTurnFixtures } from "@/lib/testing/turn-fixtures";
import { POST as send } from "./route";
import { GET as getChat } from "../route";

const t = withTestDatabase();
const h = withTurnFixtures(t, { mcp: { toolResults: true }, label: "Results", slugPrefix: "res" });
afterEach(() => vi.restoreAllMocks());

type ToolPart = { type: string; state?: string; is_error?: boolean; output?: any };
const toolPart = (parts: ToolPart[]) => parts.find((p) => p.type === "tool")!;

/** What the model got back for its first call: the tool message of its second request. */
function toolMessageOf(requests: { messages: { role: string; content?: unknown }[] }[]): string {
  const message = requests[1]!.messages.find((m) => m.role === "tool");
  return JSON.stringify(message?.content ?? null);
}

async function oneCall(tool: string, args: Record<string, unknown> = {}, server?: string) {
  const s = await h.server({ tool_allow_list: [tool], ...(server && { url: server }) });
  const chat = await h.newChat(h.member.token, [s.id]);
  const k = h.key(tool);
  const script = h.fake.script(k, [
    { toolCalls: [{ name: `${s.slug}__${tool}`, arguments: args }] },
    { text: "done" },
  ]);
  const res = await h.sendJson(h.member.token, chat.id, k);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.message.status).toBe("complete");
  return { chat, res, script, parts: res.body.message.parts as ToolPart[] };
}

describe("output schemas", () => {
  it("a result that breaks its schema is an error result the model reads", async () => {
    const { parts, script } = await oneCall("wrong_structured");
    const part = toolPart(parts);
    expect(part).toMatchObject({ state: "error", is_error: true });
    expect(part.output.code).toBe("tool.invalid_output");
    expect(part.output.text).toContain("does not match its declared output schema");
    expect(part.output.text).toContain("/count must be integer");
    // Withheld: the invalid value is not passed on.
    expect(part.output.text).not.toContain("many");
    const seen = toolMessageOf(script.requests());
    expect(seen).toContain("/count must be integer");
    expect(seen).not.toContain("many");
  });

  it("a result without the structured content its schema promises is an error too", async () => {
    const { parts, script } = await oneCall("missing_structured");
    const part = toolPart(parts);
    expect(part).toMatchObject({ state: "error", is_error: true });
    expect(part.output.text).toContain("returned no structured content");
    expect(toolMessageOf(script.requests())).toContain("returned no structured content");
  });

  describe("a remote $ref", () => {
    let recorder: Server;
    const requests: string[] = [];
    beforeAll(async () => {
      recorder = createServer((req, res) => {
        requests.push(`${req.method} ${req.url}`);
        res.writeHead(200, { "content-type": "application/schema+json" });
        res.end(JSON.stringify({ type: "string" }));
      });
      await new Promise<void>((resolve) => recorder.listen(0, "127.0.0.1", resolve));
    });
    afterAll(() => new Promise<void>((resolve) => recorder.close(() => resolve())));

    it("is never fetched: the schema is not enforced, the result passes, the log says why", async () => {
      const port = (recorder.address() as AddressInfo).port;
      const remoteRefUrl = `http://127.0.0.1:${port}/schemas/count.json`;
      const mcp = await h.startServer({ tools: [], toolResults: { remoteRefUrl } });
      const warn = vi.spyOn(console, "warn");
      const { parts, script } = await oneCall("remote_ref_output", {}, mcp.mcpUrl);
      const part = toolPart(parts);
      // Offered and called: the listing survived the schema, the result was not refused.
      expect(part).toMatchObject({ state: "complete" });
      expect(part.output.structured).toEqual({ count: 3 });
      expect(toolMessageOf(script.requests())).toContain('{\\"count\\":3}');
      expect(warn).toHaveBeenCalledWith(
        expect.stringMatching(/output schema not enforced.*nothing is fetched/),
      );
      expect(requests).toEqual([]);
    });
  });
});

describe("resource links and embedded resources", () => {
  it("are stored for the chat's cards and described to the model", async () => {
    const { chat, parts, script } = await oneCall("links_and_resources");
    const part = toolPart(parts);
    expect(part.state).toBe("complete");
    expect(part.output.resources).toEqual([
      {
        kind: "link",
        uri: HTTPS_LINK.uri,
        name: HTTPS_LINK.name,
        title: HTTPS_LINK.title,
        description: HTTPS_LINK.description,
        mimeType: HTTPS_LINK.mimeType,
      },
      { kind: "link", uri: FILE_LINK.uri, name: FILE_LINK.name, mimeType: FILE_LINK.mimeType },
      { kind: "text", uri: NOTES_URI, mimeType: "text/plain", text: NOTES_TEXT },
      {
        kind: "blob",
        uri: "test://files/archive.zip",
        mimeType: "application/zip",
        bytes: expect.any(Number),
        data: expect.any(String),
      },
    ]);
    const seen = toolMessageOf(script.requests());
    expect(seen).toContain(
      `Resource link ${HTTPS_LINK.uri} (${HTTPS_LINK.title}, ${HTTPS_LINK.mimeType}): ${HTTPS_LINK.description}`,
    );
    expect(seen).toContain(`Resource ${NOTES_URI} (text/plain)`);
    expect(seen).toContain("[binary resource test://files/archive.zip, application/zip,");
    // A reload shows what the live stream did.
    const reopened = await call(getChat, { token: h.member.token, params: { id: chat.id } });
    expect(reopened.body.messages[1].parts).toEqual(parts);
  });
});

/** The UI message stream of a turn, as chunks (call() reads it whole: the turn is over). */
async function streamedTurn(tool: string, args: Record<string, unknown>) {
  const s = await h.server({ tool_allow_list: [tool] });
  const chat = await h.newChat(h.member.token, [s.id]);
  const k = h.key(tool);
  h.fake.script(k, [
    { toolCalls: [{ name: `${s.slug}__${tool}`, arguments: args }] },
    { text: "done" },
  ]);
  const res = await call(send, {
    token: h.member.token,
    params: { id: chat.id },
    body: { content: k },
  });
  expect(res.status).toBe(200);
  const chunks = String(res.body)
    .split("\n\n")
    .filter((e) => e.startsWith("data: {"))
    .map((e) => JSON.parse(e.slice("data: ".length)) as Record<string, any>);
  const reopened = await call(getChat, { token: h.member.token, params: { id: chat.id } });
  return { chunks, parts: reopened.body.messages[1].parts as ToolPart[] };
}

describe("progress notifications", () => {
  it("reach the stream as transient parts on the call, before its result, and are not stored", async () => {
    const { chunks, parts } = await streamedTurn("progress_steps", {
      steps: 3,
      ms: 3 * (PROGRESS_INTERVAL_MS + 100),
    });
    const progress = chunks.filter((c) => c.type === "data-tool-progress");
    expect(progress.length).toBeGreaterThan(0);
    const callId = chunks.find((c) => c.type === "tool-input-available")!.toolCallId;
    for (const c of progress) {
      expect(c.transient).toBe(true);
      expect(c.id).toBe(callId);
      expect(c.data).toMatchObject({ tool_call_id: callId, total: 3 });
    }
    // The first one at once, with the server's message.
    expect(progress[0]!.data).toEqual({
      tool_call_id: callId,
      progress: 1,
      total: 3,
      message: progressStepMessage(1, 3),
    });
    const output = chunks.findIndex((c) => c.type === "tool-output-available");
    expect(chunks.findLastIndex((c) => c.type === "data-tool-progress")).toBeLessThan(output);
    expect(parts.map((p) => p.type)).toEqual(["tool", "text"]);
    expect(JSON.stringify(parts)).not.toContain(progressStepMessage(1, 3));
    expect(toolPart(parts).state).toBe("complete");
  });

  it("are throttled: a server sending hundreds cannot flood the stream", async () => {
    const { chunks } = await streamedTurn("progress_flood", { count: 400 });
    const progress = chunks.filter((c) => c.type === "data-tool-progress");
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.length).toBeLessThan(40);
    // Always the latest known value, in order.
    const values = progress.map((c) => c.data.progress as number);
    expect([...values].sort((a, b) => a - b)).toEqual(values);
  });
});
