// The pool's negative cache against real sockets: a server that accepts TCP and never answers
// costs one handshake per endpoint and credentials, whichever user or chat asks, and leaves no
// socket open behind the timed-out connect.
import { afterEach, describe, expect, it } from "vitest";

import { startBlackHole as startFixture, type BlackHole } from "@/e2e/fixtures/black-hole";
import { withMcpTestServers } from "@/lib/testing/mcp-harness";
import { mcpFailureKey, type FailureEndpoint } from "@/lib/mcp/negative-cache";
import { McpPool, type McpEndpoint } from "@/lib/mcp/pool";

withMcpTestServers();
const pools: McpPool[] = [];
const holes: BlackHole[] = [];

afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.close()));
  await Promise.all(holes.splice(0).map((hole) => hole.close()));
});

async function startBlackHole(): Promise<BlackHole> {
  const hole = await startFixture();
  holes.push(hole);
  return hole;
}

/** Waits (bounded) for the client to close its sockets; returns how many are still open. */
async function openAfterSettling(hole: BlackHole): Promise<number> {
  for (let i = 0; i < 40 && hole.openSockets() > 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return hole.openSockets();
}

// The pool's own per-connection dispatchers (no fetch option) over the guard, which may reach
// loopback here; long enough a timeout that the request is surely sent on a loaded machine.
process.env.EGRESS_ALLOWLIST = "127.0.0.1";

function newPool(): McpPool {
  const pool = new McpPool({ connectTimeoutMs: 1_000 });
  pools.push(pool);
  return pool;
}

function endpoint(
  hole: BlackHole,
  transport: McpEndpoint["transport"],
  who: { user: string; chat: string },
  credentials: Record<string, string> = {},
): McpEndpoint {
  const identity = { "X-Toolgate-User-Id": who.user, "X-Toolgate-Chat-Id": who.chat };
  return {
    serverId: "srv-dead",
    version: 1,
    url: `${hole.origin}${transport === "sse" ? "/sse" : "/mcp"}`,
    transport,
    headers: { ...credentials, ...identity },
    identityHeaders: Object.keys(identity),
    secrets: Object.values(credentials),
    userId: who.user,
  };
}

describe("mcpFailureKey", () => {
  const base: FailureEndpoint = {
    serverId: "s",
    url: "https://mcp.example.com/mcp",
    transport: "streamable_http",
    headers: { Authorization: "Bearer a", "X-Toolgate-Chat-Id": "c1" },
    identityHeaders: ["X-Toolgate-Chat-Id"],
  };

  it("is the same whatever the identity headers, the server id or the header order", () => {
    const key = mcpFailureKey(base);
    for (const variant of <FailureEndpoint[]>[
      { ...base, headers: { ...base.headers, "X-Toolgate-Chat-Id": "c2" } },
      { ...base, serverId: "t" },
      { ...base, headers: { "x-toolgate-chat-id": "c1", authorization: "Bearer a" } },
    ]) {
      expect(mcpFailureKey(variant)).toBe(key);
    }
    expect(key).not.toContain("Bearer a");
  });

  it("changes with the URL, the transport and the credentials", () => {
    const variants: FailureEndpoint[] = [
      base,
      { ...base, url: "https://mcp.example.com/other" },
      { ...base, transport: "sse" },
      { ...base, headers: { ...base.headers, Authorization: "Bearer b" } },
      { ...base, headers: { "X-Toolgate-Chat-Id": "c1" } },
      // An identity-looking header that is not declared identity counts as a credential.
      { ...base, identityHeaders: [] },
    ];
    expect(new Set(variants.map(mcpFailureKey)).size).toBe(variants.length);
  });
});

describe.each(["streamable_http", "sse"] as const)("a black-hole server over %s", (transport) => {
  it("costs one handshake for every user and chat with the same credentials", async () => {
    const hole = await startBlackHole();
    const pool = newPool();

    const first = await pool.listTools(endpoint(hole, transport, { user: "u1", chat: "c1" }));
    expect(first).toMatchObject({ ok: false, cached: false, error: { code: "mcp.timeout" } });
    expect(hole.requests()).toBe(1);

    for (const who of [
      { user: "u1", chat: "c2" },
      { user: "u2", chat: "c3" },
    ]) {
      const ep = endpoint(hole, transport, who);
      expect(await pool.listTools(ep)).toMatchObject({
        ok: false,
        cached: true,
        error: { code: "mcp.timeout" },
      });
      await expect(pool.callTool(ep, "echo", {})).rejects.toMatchObject({
        code: "mcp.timeout",
        cached: true,
      });
    }
    expect(hole.requests()).toBe(1);
    expect(pool.stats().negative).toBe(1);
  });

  it("dials again for other credentials, and for the same ones after invalidateServer", async () => {
    const hole = await startBlackHole();
    const pool = newPool();
    const who = { user: "u1", chat: "c1" };

    await pool.listTools(endpoint(hole, transport, who, { Authorization: "Bearer one" }));
    await pool.listTools(endpoint(hole, transport, who, { Authorization: "Bearer two" }));
    expect(hole.requests()).toBe(2);

    pool.invalidateServer("srv-dead");
    await pool.listTools(endpoint(hole, transport, who, { Authorization: "Bearer one" }));
    expect(hole.requests()).toBe(3);
  });

  it("leaves no socket open behind a timed-out connect", async () => {
    const hole = await startBlackHole();
    const pool = newPool();

    for (const user of ["u1", "u2", "u3"]) {
      // Other credentials each time, so each connect really dials and times out.
      const ep = endpoint(hole, transport, { user, chat: "c" }, { "X-Api-Key": user });
      expect(await pool.listTools(ep)).toMatchObject({ error: { code: "mcp.timeout" } });
    }
    expect(hole.requests()).toBe(3);
    expect(await openAfterSettling(hole)).toBe(0);
  });
});
