import type { ChildProcess } from "node:child_process";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  startEverything,
  stopProcess,
  type RunningEverything,
} from "@/e2e/fixtures/server-everything";
import { connectMcp, listAllTools, testMcpConnection } from "@/lib/mcp/client";
import { createGuardedFetch, type GuardedFetch } from "@/lib/net/egress";

async function stopEverything(child: ChildProcess): Promise<void> {
  await stopProcess(child);
  expect(child.exitCode !== null || child.signalCode !== null).toBe(true);
  // Signal 0 only checks existence: ESRCH proves the process is gone.
  expect(() => process.kill(child.pid ?? -1, 0)).toThrow(
    expect.objectContaining({ code: "ESRCH" }),
  );
}

const MODES = [
  { transport: "streamable_http", mode: "streamableHttp", path: "/mcp" },
  { transport: "sse", mode: "sse", path: "/sse" },
] as const;

describe.each(MODES)("server-everything over $transport", ({ transport, mode, path: urlPath }) => {
  let server: RunningEverything;
  let guardedFetch: GuardedFetch;

  beforeAll(async () => {
    guardedFetch = createGuardedFetch({ allowlist: "127.0.0.1" });
    server = await startEverything(mode);
  });

  afterAll(async () => {
    // destroy, not close: close waits for an SSE stream the server keeps open.
    await guardedFetch.dispatcher.destroy();
    if (server !== undefined) await stopEverything(server.child);
  });

  const url = () => `http://127.0.0.1:${server.port}${urlPath}`;

  it("passes the connection test with its known tools", async () => {
    const result = await testMcpConnection({
      url: url(),
      transport,
      headers: {},
      fetch: guardedFetch,
      connectTimeoutMs: 10_000,
    });

    if (!result.ok) {
      throw new Error(`expected ok: ${JSON.stringify(result.error)}\n${server.output()}`);
    }
    expect(result.serverInfo?.name).toBe("mcp-servers/everything");
    const names = result.tools.map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(["echo", "get-sum", "get-tiny-image"]));
    const echo = result.tools.find((tool) => tool.name === "echo");
    expect(echo?.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
    expect(echo?.inputSchema).toMatchObject({
      type: "object",
      properties: { message: { type: "string" } },
    });
  });

  it("calls tools over a connection from connectMcp", async () => {
    const connection = await connectMcp({
      url: url(),
      transport,
      headers: {},
      fetch: guardedFetch,
    });
    try {
      const listed = await listAllTools(connection.client, { timeoutMs: 10_000 });
      expect(listed.tools.map((tool) => tool.name)).toContain("echo");

      const echo = await connection.client.callTool({
        name: "echo",
        arguments: { message: "hello from toolgate" },
      });
      expect(echo.content).toEqual([{ type: "text", text: "Echo: hello from toolgate" }]);

      const sum = await connection.client.callTool({ name: "get-sum", arguments: { a: 2, b: 3 } });
      expect(sum.content).toEqual([{ type: "text", text: "The sum of 2 and 3 is 5." }]);
    } finally {
      await connection.close();
    }
  });
});
