import { once } from "node:events";
import net from "node:net";
import type { AddressInfo } from "node:net";

import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { withMcpTestServers } from "@/lib/testing/mcp-harness";
import {
  CallToolRequestSchema,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
} from "@modelcontextprotocol/sdk/types.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it, vi } from "vitest";

import {
  startMcpTestServer,
  type McpTransportKind,
  type RunningMcpTestServer,
} from "@/e2e/fixtures/mcp-test-server";
import {
  getMcpPool,
  McpPool,
  mcpEndpointKey,
  McpToolCallError,
  type McpEndpoint,
} from "@/lib/mcp/pool";
import { freePort } from "@/e2e/fixtures/server-everything";

const TRANSPORTS: McpTransportKind[] = ["streamable_http", "sse"];

const mcp = withMcpTestServers();
const startServer = mcp.startServer;
const newPool = mcp.newPool;

/** A fetch that counts what it is asked to dial, over the loopback-only guard. */
function countingFetch(): { fetch: typeof fetch; calls: () => number } {
  let calls = 0;
  const counted: typeof fetch = (input, init) => {
    calls += 1;
    return mcp.loopbackFetch(input, init);
  };
  return { fetch: counted, calls: () => calls };
}

function endpointOf(
  server: RunningMcpTestServer | string,
  transport: McpTransportKind,
  overrides: Partial<McpEndpoint> = {},
): McpEndpoint {
  const origin = typeof server === "string" ? server : server.url;
  return {
    serverId: "srv-1",
    version: 1,
    url: `${origin}${transport === "sse" ? "/sse" : "/mcp"}`,
    transport,
    headers: {},
    userId: "user-1",
    ...overrides,
  };
}

function rpcCount(server: RunningMcpTestServer, method: string): number {
  return server.requests().filter((request) => request.rpcMethods.includes(method)).length;
}

/** Accepts TCP connections and never answers. */
async function startSilentServer(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function textOf(result: CallToolResult): string {
  return result.content.flatMap((part) => (part.type === "text" ? [part.text] : [])).join("");
}

async function expectCallError(promise: Promise<unknown>, code: string): Promise<McpToolCallError> {
  const error = await promise.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(McpToolCallError);
  expect((error as McpToolCallError).code).toBe(code);
  return error as McpToolCallError;
}

describe("mcpEndpointKey", () => {
  const base: McpEndpoint = {
    serverId: "s",
    version: 1,
    url: "https://mcp.example.com/mcp",
    transport: "streamable_http",
    headers: { Authorization: "Bearer a", "X-Toolgate-User-Id": "u" },
    userId: "u",
  };

  it("ignores header order and name case, and never contains a header value", () => {
    const reordered = {
      ...base,
      headers: { "x-toolgate-user-id": "u", authorization: "Bearer a" },
    };
    expect(mcpEndpointKey(reordered)).toBe(mcpEndpointKey(base));
    expect(mcpEndpointKey(base)).not.toContain("Bearer a");
  });

  it("changes with the user, config version, transport, URL and any header value", () => {
    const key = mcpEndpointKey(base);
    const variants: McpEndpoint[] = [
      { ...base, userId: "v" },
      { ...base, serverId: "t" },
      { ...base, version: 2 },
      { ...base, transport: "sse" },
      { ...base, url: "https://mcp.example.com/other" },
      { ...base, headers: { ...base.headers, Authorization: "Bearer b" } },
      { ...base, headers: { Authorization: "Bearer a" } },
    ];
    const keys = new Set(variants.map(mcpEndpointKey));
    expect(keys.size).toBe(variants.length);
    expect(keys.has(key)).toBe(false);
  });
});

describe.each(TRANSPORTS)("McpPool over %s", (transport) => {
  it("lists tools once, then answers warm calls from the cache without reconnecting", async () => {
    const server = await startServer({ transports: [transport] });
    const pool = newPool();
    const ep = endpointOf(server, transport);

    const cold = await pool.listTools(ep);
    const warm = await pool.listTools(ep);

    expect(cold).toMatchObject({ ok: true, cached: false });
    expect(warm).toMatchObject({ ok: true, cached: true });
    if (!cold.ok || !warm.ok) throw new Error("unreachable");
    expect(warm.tools).toEqual(cold.tools);
    const echo = cold.tools.find((tool) => tool.name === "echo");
    expect(echo).toMatchObject({
      title: "Echo",
      description: "Returns the given text unchanged.",
      inputSchema: { type: "object", properties: { text: { type: "string" } } },
    });
    expect(cold.tools.find((tool) => tool.name === "add")).toMatchObject({
      outputSchema: { type: "object" },
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    });
    expect(rpcCount(server, "initialize")).toBe(1);
    expect(rpcCount(server, "tools/list")).toBe(1);
    expect(server.sessionCount()).toBe(1);
    expect(pool.stats()).toEqual({ connections: 1, negative: 0 });

    // A call reuses the same connection.
    const echoed = await pool.callTool(ep, "echo", { text: "héllo 👋" });
    expect(textOf(echoed)).toBe("héllo 👋");
    expect(rpcCount(server, "initialize")).toBe(1);
  });

  it("shares one connect and one listing among concurrent callers", async () => {
    const server = await startServer({ transports: [transport] });
    const pool = newPool();
    const ep = endpointOf(server, transport);

    const results = await Promise.all(Array.from({ length: 8 }, () => pool.listTools(ep)));

    expect(results.every((result) => result.ok)).toBe(true);
    expect(rpcCount(server, "initialize")).toBe(1);
    expect(rpcCount(server, "tools/list")).toBe(1);
    expect(server.sessionCount()).toBe(1);
  });

  it("keeps connections apart per credentials and per user", async () => {
    const server = await startServer({ transports: [transport] });
    const pool = newPool();
    const alice = endpointOf(server, transport, { headers: { "x-api-key": "key-a" } });
    const aliceNewKey = endpointOf(server, transport, { headers: { "x-api-key": "key-b" } });
    const bob = endpointOf(server, transport, {
      userId: "user-2",
      headers: { "x-api-key": "key-a" },
    });

    for (const ep of [alice, aliceNewKey, bob, alice]) {
      expect(await pool.listTools(ep)).toMatchObject({ ok: true });
    }

    expect(rpcCount(server, "initialize")).toBe(3);
    expect(server.sessionCount()).toBe(3);
    expect(pool.stats().connections).toBe(3);
    const initKeys = server
      .requests()
      .filter((request) => request.rpcMethods.includes("initialize"))
      .map((request) => request.headers["x-api-key"]);
    expect(initKeys).toEqual(["key-a", "key-b", "key-a"]);
  });

  it("sends the endpoint's headers with tool calls (whoami)", async () => {
    const server = await startServer({ transports: [transport] });
    const pool = newPool();
    const ep = endpointOf(server, transport, {
      headers: { Authorization: "Bearer tok-1", "X-Toolgate-Chat-Id": "chat-9" },
    });

    const result = await pool.callTool(ep, "whoami", {});

    const headers = (result.structuredContent as { headers: Record<string, string> }).headers;
    expect(headers.authorization).toBe("Bearer tok-1");
    expect(headers["x-toolgate-chat-id"]).toBe("chat-9");
  });

  it("returns isError results instead of throwing, and structured content as is", async () => {
    const server = await startServer({ transports: [transport] });
    const pool = newPool();
    const ep = endpointOf(server, transport);

    const failed = await pool.callTool(ep, "fail", { message: "nope" });
    const thrown = await pool.callTool(ep, "throw", { message: "boom" });
    const added = await pool.callTool(ep, "add", { a: 2, b: 40 });

    expect(failed.isError).toBe(true);
    expect(textOf(failed)).toBe("nope");
    expect(thrown.isError).toBe(true);
    expect(textOf(thrown)).toContain("boom");
    expect(added.structuredContent).toEqual({ sum: 42 });
    expect(server.toolCalls().map((call) => call.outcome)).toEqual(["error", "error", "ok"]);
    expect(pool.stats().connections).toBe(1);
  });

  it("throws a JSON-RPC error as mcp.protocol_error with the server's detail, keeping the connection", async () => {
    const server = await startServer({
      transports: [transport],
      tools: [],
      customTools: (mcp) => {
        // The low-level handlers answer tools/call with a JSON-RPC error, as some servers do.
        mcp.server.registerCapabilities({ tools: {} });
        mcp.server.setRequestHandler(ListToolsRequestSchema, () => ({
          tools: [{ name: "strict", inputSchema: { type: "object" } }],
        }));
        mcp.server.setRequestHandler(CallToolRequestSchema, () => {
          throw new McpError(ErrorCode.InvalidParams, "argument q is required");
        });
      },
    });
    const pool = newPool();
    const ep = endpointOf(server, transport);

    const error = await expectCallError(pool.callTool(ep, "strict", {}), "mcp.protocol_error");

    expect(error.message).toContain("-32602");
    expect(error.message).not.toContain("argument q");
    expect(error.serverDetail).toContain("argument q is required");
    await expectCallError(pool.callTool(ep, "strict", {}), "mcp.protocol_error");
    expect(rpcCount(server, "initialize")).toBe(1);
  });

  it("times out a slow call as mcp.timeout and sends the server a cancellation", async () => {
    const server = await startServer({ transports: [transport] });
    const pool = newPool();
    const ep = endpointOf(server, transport);

    const started = Date.now();
    const error = await expectCallError(
      pool.callTool(ep, "slow", { ms: 20_000 }, { timeoutMs: 300 }),
      "mcp.timeout",
    );

    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error.message).toContain("300 ms");
    await vi.waitFor(
      () => {
        expect(rpcCount(server, "notifications/cancelled")).toBe(1);
        expect(server.toolCalls()).toMatchObject([{ tool: "slow", outcome: "cancelled" }]);
      },
      { timeout: 3_000 },
    );

    // Streamable HTTP leaves a cancelled request's response stream open, so that connection
    // is replaced at its next use; an SSE connection is kept.
    expect(textOf(await pool.callTool(ep, "echo", { text: "after" }))).toBe("after");
    expect(rpcCount(server, "initialize")).toBe(transport === "streamable_http" ? 2 : 1);
    await vi.waitFor(() => expect(server.sessionCount()).toBe(1), { timeout: 3_000 });
  });

  it("honours the caller's signal as mcp.cancelled, before and during a call", async () => {
    const server = await startServer({ transports: [transport] });
    const pool = newPool();
    const ep = endpointOf(server, transport);

    await expectCallError(
      pool.callTool(ep, "echo", { text: "x" }, { signal: AbortSignal.abort() }),
      "mcp.cancelled",
    );
    expect(server.requests()).toHaveLength(0);

    const stop = new AbortController();
    const call = pool.callTool(ep, "slow", { ms: 20_000 }, { signal: stop.signal });
    await vi.waitFor(() => expect(server.toolCalls()).toHaveLength(1), { timeout: 3_000 });
    stop.abort();

    await expectCallError(call, "mcp.cancelled");
    await vi.waitFor(
      () => expect(server.toolCalls()).toMatchObject([{ tool: "slow", outcome: "cancelled" }]),
      { timeout: 3_000 },
    );
  });

  it("refreshes the cached tool list on notifications/tools/list_changed", async () => {
    const live: McpServer[] = [];
    const server = await startServer({
      transports: [transport],
      tools: ["echo"],
      customTools: (mcp) => live.push(mcp),
    });
    const pool = newPool();
    const ep = endpointOf(server, transport);
    const first = await pool.listTools(ep);
    expect(first.ok && first.tools.map((tool) => tool.name)).toEqual(["echo"]);
    if (transport === "streamable_http") {
      // Server-initiated notifications travel on the standalone GET stream.
      await vi.waitFor(() =>
        expect(
          server.requests().some((request) => request.method === "GET" && request.status === 200),
        ).toBe(true),
      );
    }
    expect(live).toHaveLength(1);

    live[0]!.registerTool("added_later", { description: "Registered at runtime." }, () => ({
      content: [{ type: "text", text: "later" }],
    }));

    // The pool re-lists on its own, before anyone asks.
    await vi.waitFor(() => expect(rpcCount(server, "tools/list")).toBe(2), { timeout: 3_000 });
    await vi.waitFor(async () => {
      const refreshed = await pool.listTools(ep);
      expect(refreshed.ok && refreshed.tools.map((tool) => tool.name)).toEqual([
        "echo",
        "added_later",
      ]);
      expect(refreshed.cached).toBe(true);
    });
    expect(rpcCount(server, "initialize")).toBe(1);
  });

  it("reconnects after invalidateServer and closes the old session", async () => {
    const server = await startServer({ transports: [transport] });
    const pool = newPool();
    const ep = endpointOf(server, transport);
    const other = endpointOf(server, transport, { serverId: "srv-2" });
    await pool.listTools(ep);
    await pool.listTools(other);

    pool.invalidateServer("srv-1");

    await vi.waitFor(() => expect(server.sessionCount()).toBe(1), { timeout: 3_000 });
    expect(await pool.listTools(other)).toMatchObject({ ok: true, cached: true });
    expect(await pool.listTools(ep)).toMatchObject({ ok: true, cached: false });
    expect(rpcCount(server, "initialize")).toBe(3);
    expect(server.sessionCount()).toBe(2);
  });

  it("fails cleanly once the server is gone, and reconnects when it is back", async () => {
    const first = await startMcpTestServer({ transports: [transport] });
    const pool = newPool({ negativeTtlMs: 200 });
    const ep = endpointOf(first, transport);
    expect(await pool.listTools(ep)).toMatchObject({ ok: true });

    await first.close();

    // Whether the call meets the dead socket or a refused port, it fails with the same code.
    const error = await expectCallError(
      pool.callTool(ep, "echo", { text: "x" }),
      "mcp.unreachable",
    );
    expect(error.cached).toBe(false);
    expect(pool.stats().connections).toBe(0);
    expect(await pool.listTools(ep)).toMatchObject({
      ok: false,
      error: { code: "mcp.unreachable" },
    });
    expect(await pool.listTools(ep)).toMatchObject({
      ok: false,
      cached: true,
      error: { code: "mcp.unreachable" },
    });

    const second = await startServer({ transports: [transport], port: first.port });
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await pool.listTools(ep)).toMatchObject({ ok: true, cached: false });
    expect(textOf(await pool.callTool(ep, "echo", { text: "back" }))).toBe("back");
    expect(second.sessionCount()).toBe(1);
  });

  it("repeats a read-only call on a new connection when the server restarted", async () => {
    const first = await startMcpTestServer({ transports: [transport] });
    const pool = newPool();
    const ep = endpointOf(first, transport);
    expect(await pool.listTools(ep)).toMatchObject({ ok: true });
    expect(textOf(await pool.callTool(ep, "read_docs", { topic: "a" }))).toBe(
      "Documentation for a.",
    );

    await first.close();
    const second = await startServer({ transports: [transport], port: first.port });

    expect(textOf(await pool.callTool(ep, "read_docs", { topic: "b" }))).toBe(
      "Documentation for b.",
    );
    expect(second.toolCalls()).toMatchObject([{ tool: "read_docs", arguments: { topic: "b" } }]);
    expect(second.sessionCount()).toBe(1);
  });

  it("closes idle connections after idleTtlMs", async () => {
    const server = await startServer({ transports: [transport] });
    const pool = newPool({ idleTtlMs: 100 });
    const ep = endpointOf(server, transport);
    await pool.listTools(ep);
    expect(pool.stats().connections).toBe(1);

    await vi.waitFor(
      () => {
        expect(pool.stats().connections).toBe(0);
        expect(server.sessionCount()).toBe(0);
      },
      { timeout: 3_000 },
    );
    expect(await pool.listTools(ep)).toMatchObject({ ok: true, cached: false });
  });

  it("evicts the least recently used connection beyond maxEntries", async () => {
    const server = await startServer({ transports: [transport] });
    const pool = newPool({ maxEntries: 2 });
    const users = ["u1", "u2", "u3"].map((userId) => endpointOf(server, transport, { userId }));
    await pool.listTools(users[0]!);
    await pool.listTools(users[1]!);
    await pool.listTools(users[0]!); // u1 is now the most recent
    await pool.listTools(users[2]!);

    expect(pool.stats().connections).toBe(2);
    await vi.waitFor(() => expect(server.sessionCount()).toBe(2), { timeout: 3_000 });
    expect(await pool.listTools(users[0]!)).toMatchObject({ cached: true });
    expect(await pool.listTools(users[1]!)).toMatchObject({ cached: false });
  });

  it("close() ends every session", async () => {
    const server = await startServer({ transports: [transport] });
    const pool = newPool();
    await pool.listTools(endpointOf(server, transport));
    await pool.callTool(endpointOf(server, transport, { userId: "u2" }), "echo", { text: "x" });
    expect(server.sessionCount()).toBe(2);

    await pool.close();

    expect(pool.stats()).toEqual({ connections: 0, negative: 0 });
    await vi.waitFor(
      () => {
        expect(server.sessionCount()).toBe(0);
        // No stream is left running on the client side either.
        expect(mcp.loopbackFetch.dispatcher.stats[server.url]?.running ?? 0).toBe(0);
      },
      { timeout: 3_000 },
    );
  });
});

describe("McpPool with a stateless Streamable HTTP server", () => {
  it("lists and calls over plain JSON responses", async () => {
    const server = await startServer({
      transports: ["streamable_http"],
      stateless: true,
      enableJsonResponse: true,
    });
    const pool = newPool();
    const ep = endpointOf(server, "streamable_http");

    expect(await pool.listTools(ep)).toMatchObject({ ok: true, cached: false });
    expect(await pool.listTools(ep)).toMatchObject({ ok: true, cached: true });
    expect(textOf(await pool.callTool(ep, "echo", { text: "json" }))).toBe("json");
    expect(rpcCount(server, "initialize")).toBe(1);
  });

  it("reports a call cut short by close() as cancelled", async () => {
    const server = await startServer({ transports: ["streamable_http"] });
    const pool = newPool();
    const ep = endpointOf(server, "streamable_http");
    const call = pool.callTool(ep, "slow", { ms: 20_000 });
    await vi.waitFor(() => expect(server.toolCalls()).toHaveLength(1), { timeout: 3_000 });

    await pool.close();

    await expectCallError(call, "mcp.cancelled");
  });
});

describe("McpPool failures", () => {
  it("remembers a closed port: one dial, then the cached failure until negativeTtlMs", async () => {
    const counting = countingFetch();
    const pool = newPool({ fetch: counting.fetch, negativeTtlMs: 300 });
    const ep = endpointOf(`http://127.0.0.1:${await freePort()}`, "streamable_http");

    const first = await pool.listTools(ep);
    const dials = counting.calls();
    const started = performance.now();
    const second = await pool.listTools(ep);
    const elapsed = performance.now() - started;

    expect(first).toMatchObject({ ok: false, cached: false, error: { code: "mcp.unreachable" } });
    expect(second).toEqual({ ok: false, cached: true, error: (first as { error: unknown }).error });
    expect(dials).toBeGreaterThan(0);
    expect(counting.calls()).toBe(dials);
    expect(elapsed).toBeLessThan(20);
    expect(pool.stats()).toEqual({ connections: 0, negative: 1 });
    const callError = await expectCallError(pool.callTool(ep, "echo", {}), "mcp.unreachable");
    expect(callError.cached).toBe(true);
    expect(counting.calls()).toBe(dials);

    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(await pool.listTools(ep)).toMatchObject({ ok: false, cached: false });
    expect(counting.calls()).toBeGreaterThan(dials);
  });

  it("a server that never answers costs its connect timeout once", async () => {
    const silent = await startSilentServer();
    try {
      const pool = newPool({ connectTimeoutMs: 300 });
      const ep = endpointOf(silent.url, "streamable_http");

      let started = performance.now();
      const first = await pool.listTools(ep);
      const firstMs = performance.now() - started;
      started = performance.now();
      const second = await pool.listTools(ep);
      const secondMs = performance.now() - started;

      expect(first).toMatchObject({ ok: false, cached: false, error: { code: "mcp.timeout" } });
      expect(firstMs).toBeGreaterThanOrEqual(290);
      expect(second).toMatchObject({ ok: false, cached: true, error: { code: "mcp.timeout" } });
      expect(secondMs).toBeLessThan(20);
    } finally {
      await silent.close();
    }
  });

  it("reports a destination refused by the egress guard, without dialling it twice", async () => {
    const server = await startServer();
    const pool = newPool({ fetch: mcp.refusingFetch });
    const ep = endpointOf(server, "streamable_http");

    expect(await pool.listTools(ep)).toMatchObject({
      ok: false,
      cached: false,
      error: { code: "egress.destination_not_allowed" },
    });
    expect(await pool.listTools(ep)).toMatchObject({ ok: false, cached: true });
    expect(server.requests()).toHaveLength(0);
  });

  it("caches an auth failure per credentials: a new token dials again", async () => {
    const server = await startServer({ requireBearer: "good" });
    const pool = newPool();
    const bad = endpointOf(server, "streamable_http", { headers: { Authorization: "Bearer bad" } });
    const good = endpointOf(server, "streamable_http", {
      headers: { Authorization: "Bearer good" },
    });

    expect(await pool.listTools(bad)).toMatchObject({
      ok: false,
      error: { code: "mcp.auth_required" },
    });
    expect(await pool.listTools(bad)).toMatchObject({ ok: false, cached: true });
    expect(await pool.listTools(good)).toMatchObject({ ok: true, cached: false });
  });

  it("invalidateServer clears the server's negative entries", async () => {
    const counting = countingFetch();
    const pool = newPool({ fetch: counting.fetch });
    const ep = endpointOf(`http://127.0.0.1:${await freePort()}`, "sse");
    await pool.listTools(ep);
    expect(await pool.listTools(ep)).toMatchObject({ cached: true });
    const dials = counting.calls();

    pool.invalidateServer("srv-1");

    expect(pool.stats().negative).toBe(0);
    expect(await pool.listTools(ep)).toMatchObject({ ok: false, cached: false });
    expect(counting.calls()).toBeGreaterThan(dials);
  });

  it("does not cache a listing the caller cancelled", async () => {
    const silent = await startSilentServer();
    try {
      const pool = newPool({ connectTimeoutMs: 2_000 });
      const ep = endpointOf(silent.url, "streamable_http");
      const stop = new AbortController();
      setTimeout(() => stop.abort(), 50);

      const started = performance.now();
      const result = await pool.listTools(ep, { signal: stop.signal });

      expect(result).toMatchObject({ ok: false, cached: false, error: { code: "mcp.cancelled" } });
      expect(performance.now() - started).toBeLessThan(1_000);
      expect(await pool.listTools(ep, { signal: AbortSignal.abort() })).toMatchObject({
        error: { code: "mcp.cancelled" },
      });
    } finally {
      await silent.close();
    }
  });
});

describe("getMcpPool", () => {
  it("returns one process-wide pool", () => {
    expect(getMcpPool()).toBe(getMcpPool());
    expect(getMcpPool()).toBeInstanceOf(McpPool);
  });
});
