import { once } from "node:events";
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";

import { withMcpTestServers } from "@/lib/testing/mcp-harness";
import { UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";
import { StreamableHTTPError } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import {
  ErrorCode,
  JSONRPCMessageSchema,
  ListToolsRequestSchema,
  ListToolsResultSchema,
  McpError,
} from "@modelcontextprotocol/sdk/types.js";
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { afterEach, describe, expect, it, vi } from "vitest";

import { type McpTransportKind, type RunningMcpTestServer } from "@/e2e/fixtures/mcp-test-server";
import {
  classifyMcpError,
  connectMcp,
  listAllTools,
  McpConnectionError,
  testMcpConnection,
  type McpConnection,
} from "@/lib/mcp/client";
import { EgressError } from "@/lib/net/egress";
import { freePort } from "@/e2e/fixtures/server-everything";

const TRANSPORTS: McpTransportKind[] = ["streamable_http", "sse"];

const mcp = withMcpTestServers();
const startServer = mcp.startServer;
const connections: McpConnection[] = [];

afterEach(async () => {
  await Promise.all(connections.splice(0).map((connection) => connection.close()));
});

function endpoint(server: RunningMcpTestServer, transport: McpTransportKind): string {
  return transport === "sse" ? server.sseUrl : server.mcpUrl;
}

async function connect(...args: Parameters<typeof connectMcp>): Promise<McpConnection> {
  const connection = await connectMcp(...args);
  connections.push(connection);
  return connection;
}

/** Accepts connections and reads requests but never answers. */
async function startSilentServer() {
  const sockets = new Set<Socket>();
  const server = http.createServer(() => {});
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    openSockets: () => sockets.size,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function textOf(result: unknown): string {
  const content = (result as { content?: Array<{ type: string; text?: string }> }).content ?? [];
  return content
    .filter((part) => part.type === "text")
    .map((part) => part.text ?? "")
    .join("");
}

describe.each(TRANSPORTS)("over %s against mcp-test-server", (transport) => {
  it("connects, lists tools with their annotations and calls a tool", async () => {
    const server = await startServer({ requireBearer: "k-123" });
    const result = await testMcpConnection({
      url: endpoint(server, transport),
      transport,
      headers: { Authorization: "Bearer k-123" },
      fetch: mcp.loopbackFetch,
    });

    if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.error)}`);
    expect(result.serverInfo).toEqual({ name: "mcp-test-server", version: "1.0.0" });
    const byName = new Map(result.tools.map((tool) => [tool.name, tool]));
    expect(byName.get("read_docs")?.annotations).toMatchObject({ readOnlyHint: true });
    expect(byName.get("delete_ticket")?.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: true,
    });
    expect(byName.get("read_docs")?.inputSchema).toMatchObject({
      type: "object",
      properties: { topic: { type: "string" } },
    });
    expect(byName.get("echo")?.description).toBe("Returns the given text unchanged.");
    expect(result.toolsTruncated).toBe(false);
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);

    const connection = await connect({
      url: endpoint(server, transport),
      transport,
      headers: { Authorization: "Bearer k-123" },
      fetch: mcp.loopbackFetch,
    });
    const call = await connection.client.callTool({ name: "echo", arguments: { text: "hi" } });
    expect(textOf(call)).toBe("hi");
  });

  it("reports mcp.auth_required without credentials, and never echoes a rejected token", async () => {
    const server = await startServer({ requireBearer: "k-123" });

    const missing = await testMcpConnection({
      url: endpoint(server, transport),
      transport,
      headers: {},
      fetch: mcp.loopbackFetch,
    });
    const wrong = await testMcpConnection({
      url: endpoint(server, transport),
      transport,
      headers: { Authorization: "Bearer wrong-token-xyz" },
      fetch: mcp.loopbackFetch,
    });

    expect(missing).toMatchObject({ ok: false, error: { code: "mcp.auth_required" } });
    expect(!missing.ok && missing.error.message).toMatch(/requires authentication \(HTTP 401\)/);
    expect(wrong).toMatchObject({ ok: false, error: { code: "mcp.auth_required" } });
    expect(!wrong.ok && wrong.error.message).toMatch(/rejected the credentials \(HTTP 401\)/);
    expect(JSON.stringify(wrong)).not.toContain("wrong-token-xyz");
    // The fixture's 401 body says "Bearer token rejected"; upstream bodies never reach the message.
    expect(JSON.stringify(wrong)).not.toContain("Bearer token rejected");
  });

  it("sends a custom credential header on every request", async () => {
    const server = await startServer();
    const connection = await connect({
      url: endpoint(server, transport),
      transport,
      headers: { "X-Api-Key": "key-abc" },
      fetch: mcp.loopbackFetch,
    });
    const whoami = await connection.client.callTool({ name: "whoami", arguments: {} });
    await connection.close();

    const seen = server.requests();
    expect(seen.length).toBeGreaterThanOrEqual(3);
    for (const request of seen) expect(request.headers["x-api-key"]).toBe("key-abc");
    expect(seen.flatMap((request) => request.rpcMethods)).toEqual(
      expect.arrayContaining(["initialize", "notifications/initialized", "tools/call"]),
    );
    expect(JSON.parse(textOf(whoami))).toMatchObject({ headers: { "x-api-key": "key-abc" } });
  });

  it("refuses a destination outside the allowlist before dialling it", async () => {
    const server = await startServer();
    const result = await testMcpConnection({
      url: endpoint(server, transport),
      transport,
      headers: { Authorization: "Bearer k-123" },
      fetch: mcp.refusingFetch,
    });

    expect(result).toMatchObject({
      ok: false,
      error: { code: "egress.destination_not_allowed" },
    });
    expect(!result.ok && result.error.message).toContain("127.0.0.1");
    expect(server.requests()).toEqual([]);
  });

  it("reports mcp.unreachable for a closed port", async () => {
    const port = await freePort();
    const result = await testMcpConnection({
      url: `http://127.0.0.1:${port}${transport === "sse" ? "/sse" : "/mcp"}`,
      transport,
      fetch: mcp.loopbackFetch,
    });

    expect(result).toMatchObject({ ok: false, error: { code: "mcp.unreachable" } });
    expect(!result.ok && result.error.message).toContain("ECONNREFUSED");
    expect(!result.ok && result.error.message).toContain(`127.0.0.1:${port}`);
  });

  it("reports mcp.not_mcp_server for an ordinary web page", async () => {
    const server = await startServer({ notMcp: true });
    const result = await testMcpConnection({
      url: endpoint(server, transport),
      transport,
      fetch: mcp.loopbackFetch,
    });

    expect(result).toMatchObject({ ok: false, error: { code: "mcp.not_mcp_server" } });
    expect(JSON.stringify(result)).not.toContain("Welcome");
  });

  it("reports mcp.not_mcp_server for a path that is not the endpoint", async () => {
    const server = await startServer();
    const result = await testMcpConnection({
      url: `${server.url}/not-here`,
      transport,
      fetch: mcp.loopbackFetch,
    });

    expect(result).toMatchObject({ ok: false, error: { code: "mcp.not_mcp_server" } });
    expect(!result.ok && result.error.message).toContain("HTTP 404");
  });

  it("refuses a redirect to another origin, sending it nothing", async () => {
    const target = await startServer();
    const redirector = http.createServer((req, res) => {
      res.writeHead(307, { location: `http://localhost:${target.port}${req.url ?? "/"}` }).end();
    });
    redirector.listen(0, "127.0.0.1");
    await once(redirector, "listening");
    try {
      const { port } = redirector.address() as AddressInfo;
      const result = await testMcpConnection({
        url: `http://127.0.0.1:${port}${transport === "sse" ? "/sse" : "/mcp"}`,
        transport,
        headers: { Authorization: "Bearer k-123" },
        fetch: mcp.loopbackFetch,
      });

      expect(result).toMatchObject({ ok: false, error: { code: "egress.redirect_not_allowed" } });
      expect(target.requests()).toEqual([]);
    } finally {
      redirector.closeAllConnections();
      await new Promise<void>((resolve) => redirector.close(() => resolve()));
    }
  });

  it("reports mcp.timeout within the bound for a server that never answers, and frees the socket", async () => {
    const silent = await startSilentServer();
    try {
      const result = await testMcpConnection({
        url: `${silent.url}${transport === "sse" ? "/sse" : "/mcp"}`,
        transport,
        fetch: mcp.loopbackFetch,
        connectTimeoutMs: 500,
      });

      expect(result).toMatchObject({ ok: false, error: { code: "mcp.timeout" } });
      expect(result.latencyMs).toBeGreaterThanOrEqual(490);
      expect(result.latencyMs).toBeLessThan(1_500);
      await vi.waitFor(() => expect(silent.openSockets()).toBe(0), { timeout: 400 });
    } finally {
      await silent.close();
    }
  });

  it("ends the server-side session on close", async () => {
    const server = await startServer();
    const connection = await connectMcp({
      url: endpoint(server, transport),
      transport,
      fetch: mcp.loopbackFetch,
    });
    expect(server.sessionCount()).toBe(1);

    await connection.close();
    await connection.close();

    await vi.waitFor(() => expect(server.sessionCount()).toBe(0), { timeout: 2_000 });
  });
});

describe("connectMcp with the default fetch (EGRESS_ALLOWLIST)", () => {
  const saved = process.env.EGRESS_ALLOWLIST;
  afterEach(() => {
    if (saved === undefined) delete process.env.EGRESS_ALLOWLIST;
    else process.env.EGRESS_ALLOWLIST = saved;
  });

  it("refuses loopback when EGRESS_ALLOWLIST is empty, with nothing dialled", async () => {
    delete process.env.EGRESS_ALLOWLIST;
    const server = await startServer();

    let caught: unknown;
    try {
      await connect({ url: server.mcpUrl, transport: "streamable_http", headers: {} });
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(McpConnectionError);
    expect((caught as McpConnectionError).code).toBe("egress.destination_not_allowed");
    expect(server.requests()).toEqual([]);
  });

  it("connects when EGRESS_ALLOWLIST names the address", async () => {
    process.env.EGRESS_ALLOWLIST = "127.0.0.1";
    const server = await startServer();

    const connection = await connect({ url: server.sseUrl, transport: "sse", headers: {} });

    expect(connection.serverInfo?.name).toBe("mcp-test-server");
    expect(server.requests().length).toBeGreaterThan(0);
  });
});

describe("connectMcp", () => {
  it("reports mcp.not_mcp_server for JSON that is not JSON-RPC", async () => {
    const server = await startServer({
      notMcp: { contentType: "application/json", body: '{"hello":"world"}' },
    });
    const result = await testMcpConnection({
      url: server.mcpUrl,
      transport: "streamable_http",
      fetch: mcp.loopbackFetch,
    });

    expect(result).toMatchObject({ ok: false, error: { code: "mcp.not_mcp_server" } });
  });

  it("refuses a URL with credentials and a header value with a line break", async () => {
    await expect(
      connectMcp({ url: "http://user:pw@127.0.0.1:1/mcp", transport: "sse", headers: {} }),
    ).rejects.toMatchObject({ code: "mcp.invalid_config" });

    const bad = connectMcp({
      url: "http://127.0.0.1:1/mcp",
      transport: "streamable_http",
      headers: { "X-Api-Key": "secret\r\nX-Evil: 1" },
    });
    await expect(bad).rejects.toMatchObject({ code: "mcp.invalid_config" });
    await expect(bad).rejects.toThrow(/X-Api-Key/);
    await expect(bad).rejects.not.toThrow(/secret/);
  });

  it("stops when the caller's signal aborts", async () => {
    const silent = await startSilentServer();
    try {
      const controller = new AbortController();
      const pending = connectMcp({
        url: `${silent.url}/mcp`,
        transport: "streamable_http",
        fetch: mcp.loopbackFetch,
        signal: controller.signal,
      });
      setTimeout(() => controller.abort(), 100);

      await expect(pending).rejects.toMatchObject({ code: "mcp.cancelled" });
      await vi.waitFor(() => expect(silent.openSockets()).toBe(0), { timeout: 400 });
    } finally {
      await silent.close();
    }
  });
});

describe("listAllTools", () => {
  const pageSize = 2;
  const catalogue: Tool[] = Array.from({ length: 5 }, (_, index) => ({
    name: `tool_${index}`,
    inputSchema: { type: "object" },
  }));

  /** A server whose tools/list pages by `pageSize`; `loopCursor` makes it repeat a cursor. */
  async function startPagingServer(loopCursor = false) {
    return startServer({
      tools: [],
      transports: ["streamable_http"],
      customTools: (mcp) => {
        mcp.server.registerCapabilities({ tools: {} });
        mcp.server.setRequestHandler(ListToolsRequestSchema, (request) => {
          const start = Number(request.params?.cursor ?? "0");
          const end = start + pageSize;
          const next = loopCursor ? "0" : String(end);
          return {
            tools: catalogue.slice(start, end),
            ...(end < catalogue.length && { nextCursor: next }),
          };
        });
      },
    });
  }

  it("follows nextCursor across pages", async () => {
    const server = await startPagingServer();
    const connection = await connect({
      url: server.mcpUrl,
      transport: "streamable_http",
      fetch: mcp.loopbackFetch,
    });

    const listed = await listAllTools(connection.client, { timeoutMs: 5_000 });

    expect(listed.tools.map((tool) => tool.name)).toEqual(catalogue.map((tool) => tool.name));
    expect(listed.truncated).toBe(false);
    const listCalls = server.requests().filter((r) => r.rpcMethods.includes("tools/list"));
    expect(listCalls).toHaveLength(3);
  });

  it("stops at maxTools and says so", async () => {
    const server = await startPagingServer();
    const connection = await connect({
      url: server.mcpUrl,
      transport: "streamable_http",
      fetch: mcp.loopbackFetch,
    });

    const listed = await listAllTools(connection.client, { timeoutMs: 5_000, maxTools: 3 });

    expect(listed.tools.map((tool) => tool.name)).toEqual(["tool_0", "tool_1", "tool_2"]);
    expect(listed.truncated).toBe(true);
  });

  it("fails on a repeated cursor instead of looping", async () => {
    const server = await startPagingServer(true);
    const connection = await connect({
      url: server.mcpUrl,
      transport: "streamable_http",
      fetch: mcp.loopbackFetch,
    });

    await expect(listAllTools(connection.client, { timeoutMs: 5_000 })).rejects.toMatchObject({
      code: "mcp.protocol_error",
    });
  });

  it("times out a slow listing as mcp.timeout", async () => {
    const server = await startServer({
      tools: [],
      transports: ["streamable_http"],
      customTools: (mcp) => {
        mcp.server.registerCapabilities({ tools: {} });
        mcp.server.setRequestHandler(
          ListToolsRequestSchema,
          () => new Promise((resolve) => setTimeout(() => resolve({ tools: [] }), 2_000)),
        );
      },
    });
    const connection = await connect({
      url: server.mcpUrl,
      transport: "streamable_http",
      fetch: mcp.loopbackFetch,
    });

    const started = performance.now();
    let caught: unknown;
    try {
      await listAllTools(connection.client, { timeoutMs: 300 });
    } catch (error) {
      caught = error;
    }

    expect(classifyMcpError(caught).code).toBe("mcp.timeout");
    expect(performance.now() - started).toBeLessThan(1_500);
  });
});

describe("classifyMcpError", () => {
  const context = { url: "https://mcp.example.com/secret-path?key=s3cr3t" };

  function networkError(code: string): TypeError {
    return new TypeError("fetch failed", {
      cause: Object.assign(new Error(`connect ${code} s3cr3t`), { code }),
    });
  }

  it.each([
    [new StreamableHTTPError(401, "body s3cr3t"), "mcp.auth_required", /HTTP 401/],
    [new StreamableHTTPError(403, "body s3cr3t"), "mcp.auth_required", /HTTP 403/],
    [new UnauthorizedError("s3cr3t"), "mcp.auth_required", /requires authentication/],
    [new StreamableHTTPError(302, "s3cr3t"), "egress.redirect_not_allowed", /another origin/],
    [new StreamableHTTPError(404, "s3cr3t"), "mcp.not_mcp_server", /HTTP 404/],
    [new StreamableHTTPError(405, "s3cr3t"), "mcp.not_mcp_server", /HTTP 405/],
    [new StreamableHTTPError(-1, "Unexpected content type"), "mcp.not_mcp_server", /content type/],
    [new StreamableHTTPError(503, "s3cr3t"), "mcp.unreachable", /HTTP 503/],
    [new StreamableHTTPError(500, "s3cr3t"), "mcp.protocol_error", /HTTP 500/],
    [new Error("Error POSTing to endpoint (HTTP 401): s3cr3t"), "mcp.auth_required", /HTTP 401/],
    [networkError("ECONNREFUSED"), "mcp.unreachable", /connection was refused/],
    [networkError("ECONNRESET"), "mcp.unreachable", /connection was reset/],
    [networkError("ENOTFOUND"), "mcp.unreachable", /could not be resolved/],
    [networkError("UND_ERR_CONNECT_TIMEOUT"), "mcp.timeout", /in time/],
    [new TypeError("fetch failed", { cause: new Error("bad port") }), "mcp.invalid_config", /port/],
    [new TypeError("fetch failed", { cause: new Error("s3cr3t") }), "mcp.unreachable", /network/],
    [new DOMException("s3cr3t", "TimeoutError"), "mcp.timeout", /in time/],
    [new DOMException("s3cr3t", "AbortError"), "mcp.cancelled", /cancelled/],
    [new McpError(ErrorCode.RequestTimeout, "s3cr3t"), "mcp.timeout", /in time/],
    [new McpError(ErrorCode.ConnectionClosed, "s3cr3t"), "mcp.unreachable", /closed/],
    [new McpError(ErrorCode.MethodNotFound, "s3cr3t"), "mcp.protocol_error", /-32601/],
    [JSONRPCMessageSchema.safeParse({ s3cr3t: 1 }).error, "mcp.not_mcp_server", /not JSON-RPC/],
    [ListToolsResultSchema.safeParse({ tools: [{}] }).error, "mcp.protocol_error", /schema/],
    [new SyntaxError("Unexpected token s3cr3t"), "mcp.not_mcp_server", /not valid JSON/],
    [new Error("s3cr3t"), "mcp.protocol_error", /unexpected error/],
  ])("classifies %s", (error, code, message) => {
    const info = classifyMcpError(error, context);
    expect(info.code).toBe(code);
    expect(info.message).toMatch(message);
    expect(info.message).toContain("mcp.example.com");
    expect(info.message).not.toMatch(/s3cr3t|secret-path/);
  });

  it("finds an egress error wrapped by the SDK", () => {
    const egress = new EgressError("egress.destination_not_allowed", "Egress to 10.0.0.1 refused");
    const info = classifyMcpError(new Error("wrapped", { cause: egress }), context);
    expect(info).toEqual({
      code: "egress.destination_not_allowed",
      message: "Egress to 10.0.0.1 refused",
    });
  });

  it("words a 401 by whether credentials were sent", () => {
    const error = new StreamableHTTPError(401, "");
    expect(classifyMcpError(error, { sentCredentials: true }).message).toMatch(/rejected/);
    expect(classifyMcpError(error, { sentCredentials: false }).message).toMatch(/requires/);
  });
});
