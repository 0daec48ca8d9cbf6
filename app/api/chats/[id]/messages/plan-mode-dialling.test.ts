// Plan mode decides per server before dialling (docs/architecture.md, "Plan mode"): a selected
// server that is not approved for plan mode is never refreshed, dialled or listed, and a
// plan-mode sub-agent dials no MCP server at all. Each server here has its own MCP test server,
// so its connection count says whether toolgate reached it.
import { beforeAll, describe, expect, it } from "vitest";
import type { FakeOpenAI } from "@/e2e/fixtures/fake-openai";
import type { RunningMcpTestServer } from "@/e2e/fixtures/mcp-test-server";
import { POST as createServer } from "@/app/api/mcp/servers/route";
import { assembleTurnTools } from "@/lib/chat/tools/assemble";
import { turnContextOf } from "@/lib/chat/tools/context";
import { McpPool } from "@/lib/mcp/pool";
import { call } from "@/lib/testing/http";
import { withTestDatabase } from "@/lib/testing/db";
import { withTurnFixtures } from "@/lib/testing/turn-fixtures";
import { POST as createChat } from "../../route";
import { POST as send } from "./route";

const t = withTestDatabase();
// No shared MCP server: each config below gets one of its own.
const fixtures = withTurnFixtures(t, { mcp: false });
let fake: FakeOpenAI;
let approvedMcp: RunningMcpTestServer;
let unapprovedMcp: RunningMcpTestServer;
let admin: typeof fixtures.admin;
let member: typeof fixtures.member;
let approved: { id: string; slug: string };
let unapproved: { id: string; slug: string };

async function server(slug: string, url: string, allowInPlanMode: boolean) {
  const res = await call(createServer, {
    token: admin.token,
    body: {
      display_name: slug,
      slug,
      url,
      enabled: true,
      auth_type: "none",
      allow_in_plan_mode: allowInPlanMode,
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; slug: string };
}

beforeAll(async () => {
  ({ fake, admin, member } = fixtures);
  approvedMcp = await fixtures.startServer();
  unapprovedMcp = await fixtures.startServer();
  approved = await server("dialled", approvedMcp.mcpUrl, true);
  unapproved = await server("undialled", unapprovedMcp.mcpUrl, false);
});

describe("a plan-mode turn with a server not approved for plan mode selected", () => {
  it("makes no connection to that server, and still uses the approved one", async () => {
    const created = await call(createChat, {
      token: member.token,
      body: { mcp_server_ids: [approved.id, unapproved.id] },
    });
    expect(created.status).toBe(201);
    const chatId = (created.body as { id: string }).id;
    const k = `undialled-${Date.now()}`;
    const script = fake.script(k, [{ text: "Planned." }]);
    const res = await call(send, {
      token: member.token,
      params: { id: chatId },
      body: { content: `${k} plan it`, plan_mode: true },
      headers: { accept: "application/json" },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const offered = script.requests()[0]!.toolNames;
    expect(offered).toContain(`${approved.slug}__echo`);
    expect(offered.filter((n) => n.startsWith(`${unapproved.slug}__`))).toEqual([]);
    expect(approvedMcp.connectionCount()).toBeGreaterThan(0);
    expect(unapprovedMcp.connectionCount()).toBe(0);
    expect(unapprovedMcp.requests()).toEqual([]);
  });
});

describe("a plan-mode sub-agent", () => {
  it("dials no MCP server, not even one approved for plan mode", async () => {
    // A pool of its own, so no cached listing could hide a dial.
    const pool = new McpPool();
    const before = approvedMcp.connectionCount();
    try {
      const child = turnContextOf(
        {
          id: "child",
          parentChatId: "parent",
          workspaceId: null,
          mcpServerIds: [approved.id, unapproved.id],
        },
        { id: member.user.id, role: "member" },
        true,
        "subagent",
      );
      const assembled = await assembleTurnTools(t.db, child, { pool });
      expect(Object.keys(assembled.tools).filter((n) => n.includes("__"))).toEqual([]);
      expect(assembled.notices).toEqual([]);
      expect(approvedMcp.connectionCount()).toBe(before);
      expect(unapprovedMcp.connectionCount()).toBe(0);
      // The same context outside plan mode does dial: the test would notice a dead server.
      const normal = { ...child, policy: { ...child.policy, planMode: false } };
      const offered = await assembleTurnTools(t.db, normal, { pool });
      expect(Object.keys(offered.tools)).toContain(`${approved.slug}__echo`);
      expect(approvedMcp.connectionCount()).toBeGreaterThan(before);
    } finally {
      await pool.close();
    }
  });
});
