// connectMcp on both wires: a real 2.x SDK server (stateless, MCP 2026-07-28) and a real 1.x
// SDK server (2025-11-25, and the 2025-03-26 HTTP+SSE transport).
import { afterEach, describe, expect, it } from "vitest";

import { startMcp2026Server, type RunningMcp2026Server } from "@/e2e/fixtures/mcp-2026-server";
import { withMcpTestServers } from "@/lib/testing/mcp-harness";
import { connectMcp, listAllTools, type McpConnection } from "@/lib/mcp/client";
import {
  withElicitation,
  type ElicitationAsk,
  type ElicitationSink,
  type InputRound,
  type InputRoundStore,
} from "@/lib/mcp/elicitation-scope";
import { MAX_INPUT_ROUNDS, McpInputRequiredError } from "@/lib/mcp/input-required";

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
    expect(listed.tools.map((tool) => tool.name).sort()).toEqual([
      "add",
      "ask",
      "collect",
      "echo",
      "resume",
      "sample",
      "visit",
    ]);
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

  it("retries an input_required answer that asks nothing, echoing its requestState", async () => {
    const server = await modernServer();
    const connection = await connect({
      url: server.mcpUrl,
      transport: "streamable_http",
      fetch: mcp.loopbackFetch,
    });
    const result = await connection.client.callTool({ name: "resume", arguments: {} });
    expect(textOf(result)).toBe("resumed");
    expect(rpcMethods(server.requests()).filter((m) => m === "tools/call")).toHaveLength(2);
  });

  it("asks the call's person each embedded question and retries with the answers", async () => {
    const server = await modernServer();
    const connection = await connect({
      url: server.mcpUrl,
      transport: "streamable_http",
      fetch: mcp.loopbackFetch,
    });
    const asked: ElicitationAsk[] = [];
    const sink: ElicitationSink = async (ask) => {
      asked.push(ask);
      return { action: "accept", content: { name: "Ada" } };
    };
    const result = await withElicitation(sink, 5_000, () =>
      connection.client.callTool({ name: "collect", arguments: {} }),
    );
    // The colour was left out: the form's default is filled in (SEP-1034).
    expect(textOf(result)).toBe("hello Ada, you like green");
    expect(asked).toEqual([expect.objectContaining({ mode: "form", message: "Who are you?" })]);
  });

  it("hands a decline back to the server, which finishes the call its own way", async () => {
    const server = await modernServer();
    const connection = await connect({
      url: server.mcpUrl,
      transport: "streamable_http",
      fetch: mcp.loopbackFetch,
    });
    const result = await withElicitation(
      async () => ({ action: "decline" }),
      5_000,
      () => connection.client.callTool({ name: "collect", arguments: {} }),
    );
    expect(textOf(result)).toBe("no info: decline");
  });

  it("asks a URL-mode question through the same sink", async () => {
    const server = await modernServer();
    const connection = await connect({
      url: server.mcpUrl,
      transport: "streamable_http",
      fetch: mcp.loopbackFetch,
    });
    const asked: ElicitationAsk[] = [];
    const result = await withElicitation(
      async (ask) => {
        asked.push(ask);
        return { action: "accept" };
      },
      5_000,
      () => connection.client.callTool({ name: "visit", arguments: {} }),
    );
    expect(textOf(result)).toBe("visit: accept");
    expect(asked).toEqual([
      expect.objectContaining({ mode: "url", url: "https://example.com/sign" }),
    ]);
  });

  it("fails the call after a bounded number of rounds when nobody can answer", async () => {
    const server = await modernServer();
    const connection = await connect({
      url: server.mcpUrl,
      transport: "streamable_http",
      fetch: mcp.loopbackFetch,
    });
    // Outside any call scope nobody is asked: each question is cancelled, and `ask` asks again.
    const failure = await connection.client.callTool({ name: "ask", arguments: {} }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(McpInputRequiredError);
    expect((failure as Error).message).toMatch(/after 3 rounds/);
    const calls = rpcMethods(server.requests()).filter((m) => m === "tools/call");
    expect(calls).toHaveLength(1 + MAX_INPUT_ROUNDS);
  });

  it("fails only the call that asks for sampling, which toolgate does not offer", async () => {
    const server = await modernServer();
    const connection = await connect({
      url: server.mcpUrl,
      transport: "streamable_http",
      fetch: mcp.loopbackFetch,
    });
    const failure = await withElicitation(
      async () => ({ action: "accept" }),
      5_000,
      () => connection.client.callTool({ name: "sample", arguments: {} }),
    ).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(McpInputRequiredError);
    expect((failure as McpInputRequiredError).methods.join()).toMatch(/sampling/);
    const echo = await connection.client.callTool({ name: "echo", arguments: { text: "still" } });
    expect(textOf(echo)).toBe("echo: still");
  });

  it("claims a round's state once: a second claim gets nothing", async () => {
    const server = await modernServer();
    const connection = await connect({
      url: server.mcpUrl,
      transport: "streamable_http",
      fetch: mcp.loopbackFetch,
    });
    const claims: Array<InputRound | undefined> = [];
    const kept = new Map<string, InputRound>();
    const rounds: InputRoundStore = {
      keep: async (round, state) => {
        kept.set(String(round), state);
        return String(round);
      },
      claim: async (handle) => {
        const state = kept.get(handle);
        kept.delete(handle);
        claims.push(state);
        return state;
      },
    };
    const result = await withElicitation(
      async () => ({ action: "accept", content: { name: "Bo", color: "red" } }),
      5_000,
      () => connection.client.callTool({ name: "collect", arguments: {} }),
      rounds,
    );
    expect(textOf(result)).toBe("hello Bo, you like red");
    expect(claims).toHaveLength(1);
    expect(claims[0]?.requestState).toMatch(/^collect:/);
    expect(await rounds.claim("1")).toBeUndefined();
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
