import { afterAll, afterEach, beforeAll } from "vitest";
import {
  startMcpTestServer,
  type RunningMcpTestServer,
  type StartMcpTestServerOptions,
} from "@/e2e/fixtures/mcp-test-server";
import { createGuardedFetch, type GuardedFetch } from "@/lib/net/egress";

/**
 * For MCP client tests: a guarded fetch that may reach loopback, one that refuses it, and MCP
 * test servers closed after each test. Register it before the file's own hooks, so their
 * clients and pools close (after hooks run in reverse) before the servers do.
 */
export function withMcpTestServers() {
  let loopbackFetch: GuardedFetch | undefined;
  let refusingFetch: GuardedFetch | undefined;
  const servers: RunningMcpTestServer[] = [];

  beforeAll(() => {
    loopbackFetch = createGuardedFetch({ allowlist: "127.0.0.1" });
    refusingFetch = createGuardedFetch({ allowlist: "" });
  });
  afterEach(async () => {
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
    async startServer(options: StartMcpTestServerOptions = {}): Promise<RunningMcpTestServer> {
      const server = await startMcpTestServer(options);
      servers.push(server);
      return server;
    },
  };
}
