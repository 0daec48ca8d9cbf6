import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";

import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";

import { createGuardedFetch, EgressError, findEgressError } from "@/lib/net/egress";

const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

/** A stateless MCP server (one McpServer per request) on 127.0.0.1. */
async function startMcpServer() {
  const state = { url: new URL("http://127.0.0.1/"), connections: 0, requests: 0 };
  const server = http.createServer((req, res) => {
    state.requests += 1;
    const mcp = new McpServer({ name: "egress-test", version: "1.0.0" });
    mcp.registerTool(
      "echo",
      { description: "Echoes its input", inputSchema: { text: z.string() } },
      async ({ text }) => ({ content: [{ type: "text", text: `echo: ${text}` }] }),
    );
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    res.on("close", () => {
      void transport.close();
      void mcp.close();
    });
    mcp
      .connect(transport)
      .then(() => transport.handleRequest(req, res))
      .catch((error: unknown) => {
        res.statusCode = 500;
        res.end(String(error));
      });
  });
  server.on("connection", () => {
    state.connections += 1;
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  cleanups.push(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  state.url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`);
  return state;
}

describe("MCP SDK over the guarded fetch", () => {
  it("connects and calls a tool when the server is allowlisted", async () => {
    const server = await startMcpServer();
    const fetchFn = createGuardedFetch({ allowlist: "127.0.0.1" });
    cleanups.push(() => fetchFn.dispatcher.close());
    const client = new Client({ name: "toolgate-test", version: "1.0.0" });
    const transport = new StreamableHTTPClientTransport(server.url, { fetch: fetchFn });

    await client.connect(transport);
    cleanups.push(() => client.close());
    const tools = await client.listTools();
    const result = await client.callTool({ name: "echo", arguments: { text: "hi" } });

    expect(tools.tools.map((tool) => tool.name)).toEqual(["echo"]);
    expect(result.content).toEqual([{ type: "text", text: "echo: hi" }]);
    expect(server.requests).toBeGreaterThanOrEqual(3);
  });

  it("fails with the egress error and dials nothing when not allowlisted", async () => {
    const server = await startMcpServer();
    const fetchFn = createGuardedFetch({ allowlist: "" });
    cleanups.push(() => fetchFn.dispatcher.close());
    const client = new Client({ name: "toolgate-test", version: "1.0.0" });
    const transport = new StreamableHTTPClientTransport(server.url, { fetch: fetchFn });

    let caught: unknown;
    try {
      await client.connect(transport);
    } catch (error) {
      caught = error;
    }

    // The SDK currently rethrows the fetch error unwrapped; findEgressError copes if that changes.
    expect(caught).toBeInstanceOf(EgressError);
    const egress = findEgressError(caught);
    expect(egress).toBeInstanceOf(EgressError);
    expect(egress?.code).toBe("egress.destination_not_allowed");
    expect(egress?.category).toBe("loopback");
    expect(server.connections).toBe(0);
  });
});
