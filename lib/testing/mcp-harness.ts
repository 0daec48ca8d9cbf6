import { afterAll, afterEach, beforeAll } from "vitest";
import {
  startMcpTestServer,
  type RunningMcpTestServer,
  type StartMcpTestServerOptions,
} from "@/e2e/fixtures/mcp-test-server";
import { McpPool, type McpPoolOptions } from "@/lib/mcp/pool";
import { createGuardedFetch, type GuardedFetch } from "@/lib/net/egress";

/**
 * For MCP client tests: a guarded fetch that may reach loopback, one that refuses it, MCP
 * test servers and pools over the loopback fetch, closed after each test (pools first). Register it before the file's own hooks, so their
 * clients and pools close (after hooks run in reverse) before the servers do.
 */
export function withMcpTestServers() {
  let loopbackFetch: GuardedFetch | undefined;
  let refusingFetch: GuardedFetch | undefined;
  const servers: RunningMcpTestServer[] = [];
  const pools: McpPool[] = [];

  beforeAll(() => {
    loopbackFetch = createGuardedFetch({ allowlist: "127.0.0.1" });
    refusingFetch = createGuardedFetch({ allowlist: "" });
  });
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((pool) => pool.close()));
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });
  afterAll(async () => {
    await loopbackFetch?.dispatcher.close();
    await refusingFetch?.dispatcher.close();
  });

  return {
    get loopbackFetch(): GuardedFetch {
      if (!loopbackFetch) throw new Error("harness not started");
      return loopbackFetch;
    },
    get refusingFetch(): GuardedFetch {
      if (!refusingFetch) throw new Error("harness not started");
      return refusingFetch;
    },
    /** A pool that dials through the loopback fetch unless `options` says otherwise. */
    newPool(options: McpPoolOptions = {}): McpPool {
      if (!loopbackFetch) throw new Error("harness not started");
      const pool = new McpPool({ fetch: loopbackFetch, ...options });
      pools.push(pool);
      return pool;
    },
    async startServer(options: StartMcpTestServerOptions = {}): Promise<RunningMcpTestServer> {
      const server = await startMcpTestServer(options);
      servers.push(server);
      return server;
    },
  };
}
