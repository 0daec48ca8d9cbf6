// The admin's rule for workspace `.mcp.json` servers, end to end: the settings route, a real
// workspace agent running `@modelcontextprotocol/server-everything` over stdio (allowlisted)
// beside another stdio server (not), the turn the fake model sees, the tools explainer, the
// workspace panel's listing and the agent's refusal of a call decided on an older config.
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeOpenAI } from "@/e2e/fixtures/fake-openai";
import { everythingEntry } from "@/e2e/fixtures/server-everything";
import { findWorkspace } from "@/db/queries/workspaces";
import { auditEvents } from "@/db/schema";
import { call } from "@/lib/testing/http";
import { withTestDatabase } from "@/lib/testing/db";
import { withTurnFixtures } from "@/lib/testing/turn-fixtures";
import { stopWorkspacesAfterAll } from "@/lib/testing/workspaces";
import { AgentRequestError } from "@/lib/workspace/agent-client";
import { agentClientOf } from "@/lib/workspace/provisioner";
import { GET as getRule, PUT as putRule } from "@/app/api/admin/settings/workspace-mcp/route";
import { POST as send } from "@/app/api/chats/[id]/messages/route";
import { GET as chatTools } from "@/app/api/chats/[id]/tools/route";
import { POST as createChat } from "@/app/api/chats/route";
import { GET as workspaceMcp } from "@/app/api/workspaces/[id]/mcp/route";
import { POST as createWorkspace } from "@/app/api/workspaces/route";

const t = withTestDatabase();
const fixtures = withTurnFixtures(t, { mcp: false });
const workspaceIds = stopWorkspacesAfterAll(t);
let fake: FakeOpenAI;
let admin: typeof fixtures.admin;
let member: typeof fixtures.member;

beforeAll(() => {
  ({ fake, admin, member } = fixtures);
  process.env.WORKSPACE_READONLY_PATHS = path.join(process.cwd(), "node_modules");
});

afterAll(() => {
  delete process.env.WORKSPACE_READONLY_PATHS;
});

const putAs = (token: string, body: unknown) => call(putRule, { token, method: "PUT", body });

interface Row {
  name: string;
  source: string;
  available: boolean;
  reason: string;
}
const explain = async (chatId: string) =>
  (await call(chatTools, { token: member.token, params: { id: chatId } })).body as Row[];

describe("the workspace MCP settings route", () => {
  it("defaults to on, validates strictly, is admin-only and audits a change", async () => {
    expect((await call(getRule, { token: admin.token })).body).toEqual({
      mode: "on",
      allowed_commands: [],
      allowed_url_prefixes: [],
    });
    const bad: [unknown, string][] = [
      [{}, "validation.invalid"],
      [{ mode: "sometimes" }, "validation.invalid"],
      [{ mode: "allowlist", allowed_url_prefixes: ["ftp://x"] }, "validation.invalid"],
      [{ mode: "allowlist", allowed_url_prefixes: ["https://x/?q=1"] }, "validation.invalid"],
      [{ mode: "allowlist", allowed_commands: ["   "] }, "validation.invalid"],
      [{ mode: "on", denied: [] }, "validation.unknown_field"],
    ];
    for (const [body, code] of bad) {
      const res = await putAs(admin.token, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe(code);
    }
    const forbidden = await putAs(member.token, { mode: "off" });
    expect(forbidden.status).toBe(403);
    expect((await call(getRule, { token: member.token })).status).toBe(403);
    // Nothing changed.
    expect((await call(getRule, { token: admin.token })).body.mode).toBe("on");

    const saved = await putAs(admin.token, {
      mode: "allowlist",
      allowed_commands: [" uvx  mcp-server-time ", "uvx  mcp-server-time"],
      allowed_url_prefixes: ["https://mcp.example.com/mcp"],
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body.allowed_commands).toEqual(["uvx  mcp-server-time"]);
    const audits = await t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, "app_settings.workspace_mcp.update"));
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actorId: admin.user.id, outcome: "success" });
  });
});

describe("workspace MCP servers under the admin's rule", () => {
  it("offers only allowlisted servers, explains the rest, and never calls them", async () => {
    const ws = await call(createWorkspace, {
      token: member.token,
      body: { name: "rule", template: "sample-node" },
    });
    expect(ws.status, JSON.stringify(ws.body)).toBe(201);
    workspaceIds.push(ws.body.id);
    const workspace = (await findWorkspace(t.db, ws.body.id))!;
    const everything = everythingEntry();
    await fs.writeFile(
      path.join(workspace.dir, ".mcp.json"),
      JSON.stringify({
        mcpServers: {
          everything: { command: process.execPath, args: [everything, "stdio"] },
          notes: { command: "node", args: ["tools/notes-mcp.mjs"] },
        },
      }),
    );
    const chat = await call(createChat, {
      token: member.token,
      body: { workspace_id: workspace.id },
    });
    const chatId = chat.body.id as string;
    expect(
      (
        await putAs(admin.token, {
          mode: "allowlist",
          allowed_commands: [`${process.execPath} ${everything}`],
          allowed_url_prefixes: [],
        })
      ).status,
    ).toBe(200);

    const key = `wsrule-${Date.now()}`;
    const script = fake.script(key, [
      { toolCalls: [{ name: "notes__add_note", arguments: { text: "smuggled" } }] },
      { toolCalls: [{ name: "everything__echo", arguments: { message: "hi" } }] },
      { text: "Done." },
    ]);
    const res = await call(send, {
      token: member.token,
      params: { id: chatId },
      body: { content: key },
      headers: { accept: "application/json" },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const offered = script.requests()[0]!.toolNames;
    expect(offered).toContain("everything__echo");
    expect(offered.filter((n: string) => n.startsWith("notes__"))).toEqual([]);
    const parts = res.body.message.parts as Array<Record<string, unknown>>;
    expect(parts.find((p) => p.name === "notes__add_note")).toMatchObject({ is_error: true });
    expect(parts.find((p) => p.name === "everything__echo")).toMatchObject({ state: "complete" });
    // The refused call never reached the notes server: it writes NOTES.md when it runs.
    expect(existsSync(path.join(workspace.dir, "NOTES.md"))).toBe(false);

    const rows = await explain(chatId);
    expect(rows).toEqual(
      expect.arrayContaining([
        { name: "everything__echo", source: "workspace_mcp", available: true, reason: "allowed" },
        {
          name: "notes__add_note",
          source: "workspace_mcp",
          available: false,
          reason: "workspace_mcp_not_allowed",
        },
      ]),
    );

    const listing = await call(workspaceMcp, { token: member.token, params: { id: workspace.id } });
    expect(listing.status).toBe(200);
    const servers = listing.body.servers as Array<Record<string, unknown>>;
    expect(servers.find((s) => s.name === "everything")).toMatchObject({ admitted: true });
    expect(servers.find((s) => s.name === "notes")).toMatchObject({
      admitted: false,
      blocked_reason: "workspace_mcp_not_allowed",
      launch: "node tools/notes-mcp.mjs",
    });

    // Off: nothing from the workspace, every tool explained.
    await putAs(admin.token, { mode: "off" });
    const offRows = (await explain(chatId)).filter((r) => r.source === "workspace_mcp");
    expect(offRows.length).toBeGreaterThan(0);
    expect(offRows.every((r) => !r.available && r.reason === "workspace_mcp_off")).toBe(true);

    // A call decided on an older config of the server is refused by the agent, not run.
    await putAs(admin.token, { mode: "on" });
    const agent = agentClientOf(workspace)!;
    const before = await agent.mcpTools();
    const fingerprint = before.servers.find((s) => s.name === "notes")!.fingerprint!;
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
    await fs.writeFile(
      path.join(workspace.dir, ".mcp.json"),
      JSON.stringify({
        mcpServers: { notes: { command: "node", args: ["tools/notes-mcp.mjs", "--v2"] } },
      }),
    );
    const after = await agent.mcpTools(true);
    expect(after.servers.find((s) => s.name === "notes")!.fingerprint).not.toBe(fingerprint);
    const stale = await agent
      .callTool("notes__add_note", { text: "stale" }, undefined, fingerprint)
      .catch((err: unknown) => err);
    expect(stale).toBeInstanceOf(AgentRequestError);
    expect(stale).toMatchObject({ status: 409, code: "mcp.server_changed" });
    expect(existsSync(path.join(workspace.dir, "NOTES.md"))).toBe(false);
  }, 90_000);
});
