// Issue 6 end to end: a workspace's `.mcp.json` servers as tools of a chat turn, through the
// real agent, with the fake model driving the calls.
import fs from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeOpenAI } from "@/e2e/fixtures/fake-openai";
import type { RunningMcpTestServer } from "@/e2e/fixtures/mcp-test-server";
import { everythingEntry } from "@/e2e/fixtures/server-everything";
import { findWorkspace } from "@/db/queries/workspaces";
import { call } from "@/lib/testing/http";
import { withTestDatabase } from "@/lib/testing/db";
import { withTurnFixtures } from "@/lib/testing/turn-fixtures";
import { stopWorkspacesAfterAll } from "@/lib/testing/workspaces";
import { isGone, waitFor } from "@/lib/workspace/agent/test-helpers";
import { agentClientOf } from "@/lib/workspace/provisioner";
import { POST as send } from "@/app/api/chats/[id]/messages/route";
import { GET as chatTools } from "@/app/api/chats/[id]/tools/route";
import { POST as createChat } from "@/app/api/chats/route";
import { POST as createServer } from "@/app/api/mcp/servers/route";
import { POST as stopWs } from "@/app/api/workspaces/[id]/stop/route";
import { POST as createWorkspace } from "@/app/api/workspaces/route";

const t = withTestDatabase();
const fixtures = withTurnFixtures(t);
const workspaceIds = stopWorkspacesAfterAll(t);
let fake: FakeOpenAI;
let mcp: RunningMcpTestServer;
let admin: typeof fixtures.admin;
let member: typeof fixtures.member;

beforeAll(() => {
  ({ fake, mcp, admin, member } = fixtures);
  // The published test server runs from the app's node_modules, which a workspace sandbox
  // shows only when the operator lists it.
  process.env.WORKSPACE_READONLY_PATHS = path.join(process.cwd(), "node_modules");
});

afterAll(() => {
  delete process.env.WORKSPACE_READONLY_PATHS;
});

async function workspaceChat(template: string, chatBody: Record<string, unknown> = {}) {
  const ws = await call(createWorkspace, { token: member.token, body: { name: "mcp", template } });
  expect(ws.status, JSON.stringify(ws.body)).toBe(201);
  expect(ws.body.status).toBe("running");
  workspaceIds.push(ws.body.id);
  const chat = await call(createChat, {
    token: member.token,
    body: { workspace_id: ws.body.id, ...chatBody },
  });
  expect(chat.status, JSON.stringify(chat.body)).toBe(201);
  return { chatId: chat.body.id as string, workspace: (await findWorkspace(t.db, ws.body.id))! };
}

const sendJson = (chatId: string, body: Record<string, unknown>) =>
  call(send, {
    token: member.token,
    params: { id: chatId },
    body,
    headers: { accept: "application/json" },
  });

interface Part {
  type: string;
  name?: string;
  source?: string;
  tool_name?: string;
  state?: string;
  is_error?: boolean;
  output?: { text?: string };
  code?: string;
  detail?: string;
}

describe("workspace MCP tools in a chat", () => {
  it("offers the workspace's .mcp.json tools on a normal turn and calls them via the agent", async () => {
    const { chatId, workspace } = await workspaceChat("sample-node");
    const key = `wsmcp-${Date.now()}`;
    const script = fake.script(key, [
      { toolCalls: [{ name: "notes__add_note", arguments: { text: "remember the milk" } }] },
      { toolCalls: [{ name: "notes__list_notes", arguments: {} }] },
      { text: "Noted." },
    ]);
    const res = await sendJson(chatId, { content: `${key} take a note` });
    expect(res.status, JSON.stringify(res.body)).toBe(200);

    const requests = script.requests();
    expect(requests[0]!.toolNames).toEqual(
      expect.arrayContaining(["notes__add_note", "notes__list_notes", "read_file"]),
    );
    const addNote = requests[0]!.tools.find((tool) => tool.name === "notes__add_note")!;
    expect(addNote.description).toContain("from the workspace's notes MCP server");

    const parts = (res.body.message.parts as Part[]).filter((p) => p.type === "tool");
    expect(parts[0]).toMatchObject({
      name: "notes__add_note",
      tool_name: "add_note",
      source: "workspace_mcp",
      state: "complete",
    });
    expect(parts[0]!.output!.text).toContain("Saved. 1 note(s)");
    expect(parts[1]!.output!.text).toBe("remember the milk");
    expect(JSON.stringify(requests[1]!.messages)).toContain("Saved. 1 note(s)");
    await expect(fs.readFile(path.join(workspace.dir, "NOTES.md"), "utf8")).resolves.toBe(
      "- remember the milk\n",
    );

    const explained = await call(chatTools, {
      token: member.token,
      params: { id: chatId },
      path: `/api/chats/${chatId}/tools?plan_mode=false`,
    });
    expect(explained.body).toEqual(
      expect.arrayContaining([
        { name: "notes__add_note", source: "workspace_mcp", available: true, reason: "allowed" },
      ]),
    );
  });

  it("neither offers nor runs workspace MCP tools in plan mode", async () => {
    const { chatId, workspace } = await workspaceChat("sample-node");
    const key = `wsplan-${Date.now()}`;
    const script = fake.script(key, [
      { toolCalls: [{ name: "notes__add_note", arguments: { text: "sneaky" } }] },
      { text: "Planned." },
    ]);
    const res = await sendJson(chatId, { content: `${key} plan`, plan_mode: true });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const offered = script.requests()[0]!.toolNames;
    expect(offered.some((name) => name.startsWith("notes__"))).toBe(false);
    expect(offered).toContain("read_file");

    const parts = res.body.message.parts as Part[];
    const call0 = parts.find((p) => p.type === "tool")!;
    expect(call0).toMatchObject({ name: "notes__add_note", is_error: true });
    expect(parts.some((p) => p.type === "notice" && p.code === "tool.denied")).toBe(true);
    // It never reached the server.
    await expect(fs.stat(path.join(workspace.dir, "NOTES.md"))).rejects.toThrow();

    const explained = await call(chatTools, {
      token: member.token,
      params: { id: chatId },
      path: `/api/chats/${chatId}/tools?plan_mode=true`,
    });
    expect(explained.body).toEqual(
      expect.arrayContaining([
        {
          name: "notes__add_note",
          source: "workspace_mcp",
          available: false,
          reason: "plan_mode_no_workspace_mcp",
        },
      ]),
    );
  });

  it("resolves name clashes for admin servers, and a broken workspace server costs one notice", async () => {
    const slug = `clash${Date.now() % 100000}`;
    const server = await call(createServer, {
      token: admin.token,
      body: {
        display_name: "Clash",
        slug,
        url: mcp.mcpUrl,
        enabled: true,
        availability: "force_on",
        tool_allow_list: ["echo"],
      },
    });
    expect(server.status, JSON.stringify(server.body)).toBe(201);
    const { chatId, workspace } = await workspaceChat("empty");
    await fs.writeFile(
      path.join(workspace.dir, ".mcp.json"),
      JSON.stringify({
        mcpServers: {
          [slug]: { command: process.execPath, args: [everythingEntry(), "stdio"] },
          broken: { command: "definitely-not-a-command-xyz" },
        },
      }),
    );
    const key = `clash-${Date.now()}`;
    const script = fake.script(key, [{ text: "Fine." }]);
    const res = await sendJson(chatId, { content: key });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const offered = script.requests()[0]!.toolNames;
    // The admin server's echo keeps the name; the workspace's other tools are there.
    expect(offered).toContain(`${slug}__echo`);
    expect(offered).toContain(`${slug}__get-sum`);
    const notices = (res.body.message.parts as Part[]).filter((p) => p.type === "notice");
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ code: "mcp.server_unavailable" });
    expect(notices[0]!.detail).toMatch(/Workspace MCP server broken/);
    expect(res.body.message.parts.at(-1)).toEqual({ type: "text", text: "Fine." });

    const rows = (await call(chatTools, { token: member.token, params: { id: chatId } }))
      .body as Array<{ name: string; source: string; available: boolean; reason: string }>;
    const echoRows = rows.filter((r) => r.name === `${slug}__echo`);
    expect(echoRows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ source: "mcp", available: true }),
        { name: `${slug}__echo`, source: "workspace_mcp", available: false, reason: "name_clash" },
      ]),
    );
    expect(rows).toEqual(
      expect.arrayContaining([
        {
          name: "broken__*",
          source: "workspace_mcp",
          available: false,
          reason: "server_unavailable",
        },
      ]),
    );
  });

  it("a dead agent costs one notice, and stopping the workspace leaves no process behind", async () => {
    const { chatId, workspace } = await workspaceChat("sample-node");
    const listing = await agentClientOf(workspace)!.mcpTools();
    const notesPid = listing.servers.find((s) => s.name === "notes")!.pid!;
    expect(isGone(notesPid)).toBe(false);

    const stopped = await call(stopWs, {
      token: member.token,
      params: { id: workspace.id },
      method: "POST",
    });
    expect(stopped.body.status).toBe("stopped");
    expect(isGone(workspace.agentPid!)).toBe(true);
    expect(isGone(notesPid)).toBe(true);

    // A stopped workspace: no tools, no noise.
    const key = `dead-${Date.now()}`;
    const script = fake.script(key, [{ text: "Still here." }]);
    const quiet = await sendJson(chatId, { content: key });
    expect(script.requests()[0]!.toolNames.some((n) => n.startsWith("notes__"))).toBe(false);
    expect((quiet.body.message.parts as Part[]).some((p) => p.type === "notice")).toBe(false);

    // An agent that died under a running workspace: one notice, the answer still arrives.
    const other = await workspaceChat("sample-node");
    const otherListing = await agentClientOf(other.workspace)!.mcpTools();
    const otherNotes = otherListing.servers.find((s) => s.name === "notes")!.pid!;
    process.kill(other.workspace.agentPid!, "SIGKILL");
    await waitFor(() => isGone(other.workspace.agentPid!), "the agent to die");
    const deadKey = `dead2-${Date.now()}`;
    fake.script(deadKey, [{ text: "Answer anyway." }]);
    const res = await sendJson(other.chatId, { content: deadKey });
    expect(res.status).toBe(200);
    const notices = (res.body.message.parts as Part[]).filter((p) => p.type === "notice");
    expect(notices).toHaveLength(1);
    expect(notices[0]!.detail).toMatch(/agent was no longer running/);
    expect(res.body.message.parts.at(-1)).toEqual({ type: "text", text: "Answer anyway." });
    // What the dead agent left behind was swept.
    await waitFor(() => isGone(otherNotes), "the orphaned MCP server to be swept");
  });
});
