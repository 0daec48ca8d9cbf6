import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  freePort,
  startEverything,
  type RunningEverything,
} from "@/e2e/fixtures/server-everything";
import { startMcpTestServer } from "@/e2e/fixtures/mcp-test-server";
import { call } from "@/lib/testing/http";
import { withTestDatabase } from "@/lib/testing/db";
import { seedUser } from "@/lib/testing/fixtures";
import { GET as getOne } from "../route";
import { POST as create } from "../../route";
import { POST as test } from "./route";

const t = withTestDatabase();
let admin: Awaited<ReturnType<typeof seedUser>>;
let member: Awaited<ReturnType<typeof seedUser>>;
const previousAllowlist = process.env.EGRESS_ALLOWLIST;

beforeAll(async () => {
  admin = await seedUser(t.db, { role: "admin" });
  member = await seedUser(t.db, { role: "member" });
  // The test servers listen on loopback, which the egress guard refuses unless allowlisted.
  process.env.EGRESS_ALLOWLIST = "127.0.0.1";
});
afterAll(() => {
  if (previousAllowlist === undefined) delete process.env.EGRESS_ALLOWLIST;
  else process.env.EGRESS_ALLOWLIST = previousAllowlist;
});

async function createServer(body: Record<string, unknown>) {
  const res = await call(create, { token: admin.token, body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; slug: string };
}

const runTest = (id: string, token = admin.token) => call(test, { token, params: { id } });

describe.each([
  { transport: "streamable_http", mode: "streamableHttp" },
  { transport: "sse", mode: "sse" },
] as const)("test connection to server-everything over $transport", ({ transport, mode }) => {
  let everything: RunningEverything;
  beforeAll(async () => {
    everything = await startEverything(mode);
  });
  afterAll(async () => {
    await everything?.close();
  });

  it("lists its tools with exposed names and the policy's verdicts", async () => {
    const s = await createServer({
      display_name: `Everything ${transport}`,
      url: everything.url,
      transport,
      tool_allow_list: ["echo", "get-sum"],
      tool_deny_list: ["get-sum"],
      allow_in_plan_mode: true,
      plan_mode_tools: ["echo"],
    });
    const res = await runTest(s.id);
    expect(res.status).toBe(200);
    expect(res.body.ok, JSON.stringify(res.body.error)).toBe(true);
    expect(res.body.latency_ms).toBeGreaterThanOrEqual(0);
    const byName = new Map(res.body.tools.map((tool: { name: string }) => [tool.name, tool]));
    expect(byName.get("echo")).toMatchObject({
      exposed_name: `${s.slug}__echo`,
      allowed: true,
      plan_mode_allowed: true,
      reason: "allowed",
    });
    // Deny wins over allow.
    expect(byName.get("get-sum")).toMatchObject({
      allowed: false,
      plan_mode_allowed: false,
      reason: "denied_by_deny_list",
    });
    const other = res.body.tools.find(
      (tool: { name: string }) => !["echo", "get-sum"].includes(tool.name),
    );
    expect(other).toMatchObject({ allowed: false, reason: "not_in_allow_list" });
    for (const tool of res.body.tools) expect(tool.exposed_name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);

    const after = await call(getOne, { token: admin.token, params: { id: s.id } });
    expect(after.body.status.state).toBe("ok");
    expect(after.body.status.checked_at).not.toBeNull();
    expect(after.body.version).toBe(1);
  });
});

describe("test connection with an API key", () => {
  let server: Awaited<ReturnType<typeof startMcpTestServer>>;
  beforeAll(async () => {
    server = await startMcpTestServer({ requireBearer: "k-123" });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("sends the stored key and reports read-only / destructive annotations", async () => {
    const s = await createServer({
      display_name: "Keyed",
      url: server.mcpUrl,
      auth_type: "api_key",
      api_key_header: "Authorization",
      api_key_value: "Bearer k-123",
    });
    const res = await runTest(s.id);
    expect(res.body.ok, JSON.stringify(res.body.error)).toBe(true);
    const read = res.body.tools.find((tool: { name: string }) => tool.name === "read_docs");
    const destructive = res.body.tools.find(
      (tool: { name: string }) => tool.name === "delete_ticket",
    );
    expect(read.annotations.readOnlyHint).toBe(true);
    expect(destructive.annotations.destructiveHint).toBe(true);
    expect(JSON.stringify(res.body)).not.toContain("k-123");
  });

  it("reports 401 as needing authentication, with the server marked unhealthy", async () => {
    const s = await createServer({ display_name: "Keyless", url: server.mcpUrl });
    const res = await runTest(s.id);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: false, tools: [], error: { code: "mcp.auth_required" } });
    const after = await call(getOne, { token: admin.token, params: { id: s.id } });
    expect(after.body.status.state).toBe("error");
    expect(after.body.status.detail).toBeTruthy();
  });
});

describe("test connection failures", () => {
  it("is admin-only and reports unreachable servers and the egress guard", async () => {
    // A port that was free a moment ago: nothing listens there.
    const port = await freePort();
    const closed = await createServer({
      display_name: "Closed",
      url: `http://127.0.0.1:${port}/mcp`,
    });
    expect((await runTest(closed.id, member.token)).status).toBe(403);
    const res = await runTest(closed.id);
    expect(res.body.error.code).toBe("mcp.unreachable");

    delete process.env.EGRESS_ALLOWLIST;
    try {
      // Saved while allowlisted; the guard checks again when it dials, so nothing is sent.
      const blocked = await runTest(closed.id);
      expect(blocked.body.error.code).toBe("egress.destination_not_allowed");
    } finally {
      process.env.EGRESS_ALLOWLIST = "127.0.0.1";
    }
  });

  it("reports a server that is not an MCP server", async () => {
    const html = await startMcpTestServer({ notMcp: true });
    try {
      const s = await createServer({ display_name: "Web Page", url: html.mcpUrl });
      const res = await runTest(s.id);
      expect(res.body.error.code).toBe("mcp.not_mcp_server");
    } finally {
      await html.close();
    }
  });
});
