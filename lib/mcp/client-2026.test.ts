// connectMcp on both wires: a real 2.x SDK server (stateless, MCP 2026-07-28) and a real 1.x
// SDK server (2025-11-25, and the 2025-03-26 HTTP+SSE transport).
import { afterEach, describe, expect, it } from "vitest";

import { startMcp2026Server, type RunningMcp2026Server } from "@/e2e/fixtures/mcp-2026-server";
import { withMcpTestServers } from "@/lib/testing/mcp-harness";
import { connectMcp, listAllTools, type McpConnection } from "@/lib/mcp/client";
import { McpInputRequiredError } from "@/lib/mcp/session";

const mcp = withMcpTestServers();
const connections: McpConnection[] = [];
const modernServers: RunningMcp2026Server[] = [];

afterEach(async () => {
  await Promise.all(connections.splice(0).map((connection) => connection.close()));
  await Promise.all(modernServers.splice(0).map((server) => server.close()));
});

async function connect(...args: Parameters<typeof connectMcp>): Promise<McpConnection> {
  const connection = await connectMcp(...args);
  connections.push(connection);
  return connection;
}

async function modernServer(options: Parameters<typeof startMcp2026Server>[0] = {}) {
  const server = await startMcp2026Server(options);
  modernServers.push(server);
  return server;
}

function textOf(result: { content?: unknown }): string {
  const [first] = (result.content ?? []) as Array<{ type: string; text?: string }>;
  return first?.type === "text" ? (first.text ?? "") : "";
}

const rpcMethods = (requests: Array<{ rpcMethods: string[] }>) =>
  requests.flatMap((request) => request.rpcMethods);

describe("connectMcp on the 2026-07-28 wire", () => {
  it("speaks 2026-07-28 to a 2.x server: discover, list and call, no initialize", async () => {
    const server = await modernServer({ legacy: "reject" });
    const connection = await connect({
      url: server.mcpUrl,
      transport: "streamable_http",
      headers: { "X-Api-Key": "key-2026" },
      fetch: mcp.loopbackFetch,
    });

    expect(connection.era).toBe("modern");
    expect(connection.protocolVersion).toBe("2026-07-28");
    expect(connection.eraMemory).toMatchObject({ era: "modern" });
    expect(connection.serverInfo).toMatchObject({ name: "toolgate-test-2026" });

    const listed = await listAllTools(connection.client, { timeoutMs: 5_000 });
    expect(listed.tools.map((tool) => tool.name).sort()).toEqual(["add", "ask", "echo", "resume"]);
    const echo = await connection.client.callTool({ name: "echo", arguments: { text: "hi" } });
    expect(textOf(echo)).toBe("echo: hi");
    const add = await connection.client.callTool({ name: "add", arguments: { a: 2, b: 3 } });
    expect(add.structuredContent).toEqual({ sum: 5 });

    const methods = rpcMethods(server.requests());
    expect(methods[0]).toBe("server/discover");
    expect(methods).toEqual(expect.arrayContaining(["tools/list", "tools/call"]));
    expect(methods).not.toContain("initialize");
    for (const request of server.requests()) {
      expect(request.headers["x-api-key"]).toBe("key-2026");
    }
    // The 2026-07-28 headers name the method (and the tool) of each request.
    const call = server.requests().find((request) => request.rpcMethods.includes("tools/call"));
    expect(call?.headers["mcp-method"]).toBe("tools/call");
  });

  it("reconnects to a remembered modern server without probing it again", async () => {
    const server = await modernServer();
    const first = await connect({
      url: server.mcpUrl,
      transport: "streamable_http",
      fetch: mcp.loopbackFetch,
    });
    expect(first.era).toBe("modern");
    server.clearRecords();

    const again = await connect({
      url: server.mcpUrl,
      transport: "streamable_http",
      fetch: mcp.loopbackFetch,
      prior: first.eraMemory,
    });
    expect(again.era).toBe("modern");
    expect(server.requests()).toEqual([]);
    const echo = await again.client.callTool({ name: "echo", arguments: { text: "again" } });
    expect(textOf(echo)).toBe("echo: again");
    const methods = rpcMethods(server.requests());
    expect(methods).toEqual(["tools/call"]);
  });

  it("turns an input_required answer into a clear error instead of answering it", async () => {
    const server = await modernServer();
    const connection = await connect({
      url: server.mcpUrl,
      transport: "streamable_http",
      fetch: mcp.loopbackFetch,
    });
    const failure = await connection.client.callTool({ name: "resume", arguments: {} }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(McpInputRequiredError);
    expect((failure as Error).message).toMatch(/needs input from the user/);
    // Asked once, never retried.
    expect(rpcMethods(server.requests()).filter((m) => m === "tools/call")).toHaveLength(1);
  });

  it("reports a server that wants elicitation (not declared on this wire) the same way", async () => {
    const server = await modernServer();
    const connection = await connect({
      url: server.mcpUrl,
      transport: "streamable_http",
      fetch: mcp.loopbackFetch,
    });
    const failure = await connection.client.callTool({ name: "ask", arguments: {} }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(McpInputRequiredError);
    expect((failure as McpInputRequiredError).methods).toEqual(["elicitation"]);
  });
});

describe("connectMcp on the 2025 wires", () => {
  it("falls back to initialize for a 1.x server and remembers it as legacy", async () => {
    const server = await mcp.startServer();
    const connection = await connect({
      url: server.mcpUrl,
      transport: "streamable_http",
      fetch: mcp.loopbackFetch,
    });
    expect(connection.era).toBe("legacy");
    expect(connection.eraMemory).toEqual({ era: "legacy" });
    expect(connection.protocolVersion).toBe("2025-11-25");
    const listed = await listAllTools(connection.client, { timeoutMs: 5_000 });
    expect(listed.tools.map((tool) => tool.name)).toContain("echo");
    const echo = await connection.client.callTool({ name: "echo", arguments: { text: "old" } });
    expect(textOf(echo)).toBe("old");

    const methods = rpcMethods(server.requests());
    expect(methods[0]).toBe("server/discover");
    // One handshake: the probe's fallback is the 1.x client's, not a second one.
    expect(methods.filter((m) => m === "initialize")).toHaveLength(1);
  });

  it("falls back to initialize when a layer in front refuses the probe with 403", async () => {
    const server = await mcp.startServer();
    let refused = 0;
    const fetchRefusingProbe = (async (input: string | URL | Request, init?: RequestInit) => {
      if (typeof init?.body === "string" && init.body.includes('"server/discover"')) {
        refused += 1;
        return new Response("forbidden", { status: 403 });
      }
      return mcp.loopbackFetch(input, init);
    }) as typeof fetch;
    const connection = await connect({
      url: server.mcpUrl,
      transport: "streamable_http",
      fetch: fetchRefusingProbe,
    });
    expect(refused).toBe(1);
    expect(connection.era).toBe("legacy");
    expect(rpcMethods(server.requests())[0]).toBe("initialize");
  });

  it("goes straight to initialize for a server remembered as legacy", async () => {
    const server = await mcp.startServer();
    const connection = await connect({
      url: server.mcpUrl,
      transport: "streamable_http",
      fetch: mcp.loopbackFetch,
      prior: { era: "legacy" },
    });
    expect(connection.era).toBe("legacy");
    const methods = rpcMethods(server.requests());
    expect(methods[0]).toBe("initialize");
    expect(methods).not.toContain("server/discover");
  });

  it("never probes a 2025-03-26 HTTP+SSE server", async () => {
    const server = await mcp.startServer({ transports: ["sse"] });
    const connection = await connect({
      url: server.sseUrl,
      transport: "sse",
      fetch: mcp.loopbackFetch,
    });
    expect(connection.era).toBe("legacy");
    const echo = await connection.client.callTool({ name: "echo", arguments: { text: "sse" } });
    expect(textOf(echo)).toBe("sse");
    const methods = rpcMethods(server.requests());
    expect(methods).toContain("initialize");
    expect(methods).not.toContain("server/discover");
  });
});
