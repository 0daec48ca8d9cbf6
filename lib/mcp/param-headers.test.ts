// Mcp-Param-* headers (SEP-2243) on the 2026-07-28 wire, against a real 2.x SDK server that
// refuses a call whose headers are missing or disagree with the arguments. The SDK mirrors the
// arguments a tool's x-mcp-header properties name from the tool's listed definition: the
// session's own listing, or the one the caller (the pool, a turn) hands over when the
// connection making the call did not list the tools itself.
import { afterEach, describe, expect, it } from "vitest";

import { startMcp2026Server, type RunningMcp2026Server } from "@/e2e/fixtures/mcp-2026-server";
import { withMcpTestServers } from "@/lib/testing/mcp-harness";
import { connectMcp, listAllTools } from "@/lib/mcp/client";
import { McpToolCallError, type McpEndpoint } from "@/lib/mcp/pool";

const mcp = withMcpTestServers();
const servers: RunningMcp2026Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function headerServer(): Promise<RunningMcp2026Server> {
  const server = await startMcp2026Server({ legacy: "reject", paramHeaders: true });
  servers.push(server);
  return server;
}

const ARGS = { region: "eu west 1", priority: 42, query: "SELECT 1" };

/** The Mcp-Param-* headers of the tools/call requests the server received. */
function paramHeadersOfCalls(server: RunningMcp2026Server): Array<Record<string, string>> {
  return server
    .requests()
    .filter((request) => request.rpcMethods.includes("tools/call"))
    .map((request) =>
      Object.fromEntries(
        Object.entries(request.headers).filter(([name]) => name.startsWith("mcp-param-")),
      ),
    );
}

function textOf(result: { content?: unknown }): string {
  const [first] = (result.content ?? []) as Array<{ type: string; text?: string }>;
  return first?.text ?? "";
}

describe("Mcp-Param-* headers on the 2026-07-28 wire", () => {
  it("sends the headers the listed definition names, and only those", async () => {
    const server = await headerServer();
    const connection = await connectMcp({
      url: server.mcpUrl,
      transport: "streamable_http",
      fetch: mcp.loopbackFetch,
    });
    try {
      expect(connection.era).toBe("modern");
      const { tools } = await listAllTools(connection.client, { timeoutMs: 5_000 });
      const locate = tools.find((tool) => tool.name === "locate");
      expect(locate?.inputSchema.properties?.["region"]).toMatchObject({
        "x-mcp-header": "Region",
      });
      const result = await connection.client.callTool({ name: "locate", arguments: ARGS });
      expect(textOf(result)).toBe("SELECT 1 in eu west 1");
    } finally {
      await connection.close();
    }
    expect(paramHeadersOfCalls(server)).toEqual([
      { "mcp-param-region": "eu west 1", "mcp-param-priority": "42" },
    ]);
  });

  it("a pooled call on a connection that never listed uses the turn's definition", async () => {
    const server = await headerServer();
    // The definition a turn holds: from an earlier listing, on another connection.
    const lister = await connectMcp({
      url: server.mcpUrl,
      transport: "streamable_http",
      fetch: mcp.loopbackFetch,
    });
    const { tools } = await listAllTools(lister.client, { timeoutMs: 5_000 }).finally(() =>
      lister.close(),
    );
    const locate = tools.find((tool) => tool.name === "locate")!;
    server.clearRecords();

    const endpoint: McpEndpoint = {
      serverId: "srv-headers",
      version: 1,
      url: server.mcpUrl,
      transport: "streamable_http",
      headers: {},
      userId: "user-1",
    };
    // Without a definition the SDK cannot know which arguments to mirror: the server refuses.
    const bare = mcp.newPool();
    const refused = await bare.callTool(endpoint, "locate", ARGS).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(McpToolCallError);
    const bareCalls = paramHeadersOfCalls(server);
    expect(bareCalls.length).toBeGreaterThan(0);
    expect(bareCalls.every((headers) => Object.keys(headers).length === 0)).toBe(true);
    server.clearRecords();

    const pool = mcp.newPool();
    const result = await pool.callTool(endpoint, "locate", ARGS, {
      definition: { name: locate.name, inputSchema: locate.inputSchema },
    });
    expect(textOf(result)).toBe("SELECT 1 in eu west 1");
    expect(paramHeadersOfCalls(server)).toEqual([
      { "mcp-param-region": "eu west 1", "mcp-param-priority": "42" },
    ]);
  });
});
