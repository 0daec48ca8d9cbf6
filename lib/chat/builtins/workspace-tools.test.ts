// The workspace built-ins through real turns: the fake model calls them, the turn runner runs
// them against a real workspace agent.
import fs from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { FakeOpenAI } from "@/e2e/fixtures/fake-openai";
import { findOwnChat } from "@/db/queries/chats";
import { findWorkspace } from "@/db/queries/workspaces";
import { call } from "@/lib/testing/http";
import { withTestDatabase } from "@/lib/testing/db";
import { seedUser } from "@/lib/testing/fixtures";
import { withTurnFixtures } from "@/lib/testing/turn-fixtures";
import { stopWorkspacesAfterAll } from "@/lib/testing/workspaces";
import { isGone } from "@/lib/workspace/agent/test-helpers";
import { GET as getChat, PATCH as patchChat } from "@/app/api/chats/[id]/route";
import { POST as send } from "@/app/api/chats/[id]/messages/route";
import { POST as createChat } from "@/app/api/chats/route";
import { POST as createWorkspace } from "@/app/api/workspaces/route";
import { planFilePath } from "../plan-file";
import { readPlanFile } from "./workspace-tools";

const t = withTestDatabase();
const fixtures = withTurnFixtures(t, { mcp: false });
const workspaceIds = stopWorkspacesAfterAll(t);
let fake: FakeOpenAI;
let member: typeof fixtures.member;

beforeAll(() => {
  ({ fake, member } = fixtures);
});

interface ToolPart {
  type: "tool";
  name: string;
  source: string;
  state: string;
  is_error?: boolean;
  output?: Record<string, unknown>;
}

const toolParts = (message: { parts: Array<{ type: string }> }) =>
  message.parts.filter((p): p is ToolPart => p.type === "tool");

async function workspaceChat(template = "empty") {
  const ws = await call(createWorkspace, {
    token: member.token,
    body: { name: "tools", template },
  });
  expect(ws.status, JSON.stringify(ws.body)).toBe(201);
  workspaceIds.push(ws.body.id);
  const chat = await call(createChat, { token: member.token, body: { workspace_id: ws.body.id } });
  expect(chat.status, JSON.stringify(chat.body)).toBe(201);
  const row = (await findWorkspace(t.db, ws.body.id))!;
  return { chatId: chat.body.id as string, workspace: row };
}

const sendJson = (chatId: string, body: Record<string, unknown>) =>
  call(send, {
    token: member.token,
    params: { id: chatId },
    body,
    headers: { accept: "application/json" },
  });

describe("workspace built-in tools in a turn", () => {
  it("writes, reads, edits and executes in the chat's workspace", async () => {
    const { chatId, workspace } = await workspaceChat();
    const key = `files-${Date.now()}`;
    const script = fake.script(key, [
      {
        toolCalls: [
          { name: "write_file", arguments: { path: "src/hello.txt", content: "hello\nworld\n" } },
        ],
      },
      { toolCalls: [{ name: "read_file", arguments: { path: "src/hello.txt" } }] },
      {
        toolCalls: [
          {
            name: "edit_files",
            arguments: {
              files: [{ path: "src/hello.txt", edits: [{ old_text: "world", new_text: "there" }] }],
            },
          },
        ],
      },
      { toolCalls: [{ name: "execute", arguments: { command: "cat src/hello.txt; echo done" } }] },
      { text: "Done." },
    ]);
    const res = await sendJson(chatId, { content: `${key} go` });
    expect(res.status, JSON.stringify(res.body)).toBe(200);

    const requests = script.requests();
    expect(requests[0]!.toolNames).toEqual(
      expect.arrayContaining(["read_file", "write_file", "edit_files", "execute", "process_list"]),
    );
    const parts = toolParts(res.body.message);
    expect(parts.map((p) => [p.name, p.state])).toEqual([
      ["write_file", "complete"],
      ["read_file", "complete"],
      ["edit_files", "complete"],
      ["execute", "complete"],
    ]);
    expect(parts.every((p) => p.source === "builtin")).toBe(true);
    expect(parts[1]!.output!.content).toBe("     1\thello\n     2\tworld");
    expect(parts[3]!.output).toMatchObject({ exit_code: 0, output: "hello\nthere\ndone\n" });
    // Results go back to the model.
    expect(JSON.stringify(requests[2]!.messages)).toContain("hello");
    await expect(fs.readFile(path.join(workspace.dir, "src/hello.txt"), "utf8")).resolves.toBe(
      "hello\nthere\n",
    );
  });

  it("in plan mode writes only the plan file, and never offers process_list", async () => {
    const { chatId, workspace } = await workspaceChat();
    const plan = planFilePath(chatId);
    const key = `plan-${Date.now()}`;
    const script = fake.script(key, [
      { toolCalls: [{ name: "write_file", arguments: { path: "src/app.js", content: "x" } }] },
      {
        toolCalls: [
          { name: "write_file", arguments: { path: plan, content: "# Plan\n\n1. Do it\n" } },
        ],
      },
      {
        toolCalls: [
          {
            name: "edit_files",
            arguments: {
              files: [
                { path: `./${plan}`, edits: [{ old_text: "Do it", new_text: "Do it well" }] },
              ],
            },
          },
        ],
      },
      { toolCalls: [{ name: "process_list", arguments: {} }] },
      { text: "Planned." },
    ]);
    const res = await sendJson(chatId, { content: `${key} plan it`, plan_mode: true });
    expect(res.status, JSON.stringify(res.body)).toBe(200);

    const offered = script.requests()[0]!.toolNames;
    expect(offered).toEqual(
      expect.arrayContaining(["read_file", "write_file", "edit_files", "execute"]),
    );
    expect(offered).not.toContain("process_list");
    expect(offered).not.toContain("process_signal");

    const parts = toolParts(res.body.message);
    expect(parts[0]).toMatchObject({ name: "write_file", state: "error", is_error: true });
    expect(String(parts[0]!.output!.text)).toContain(`only the plan file ${plan} may be written`);
    expect(JSON.stringify(script.requests()[1]!.messages)).toContain("only the plan file");
    await expect(fs.stat(path.join(workspace.dir, "src/app.js"))).rejects.toThrow();

    expect(parts[1]).toMatchObject({ name: "write_file", state: "complete" });
    expect(parts[2]).toMatchObject({ name: "edit_files", state: "complete" });
    await expect(fs.readFile(path.join(workspace.dir, plan), "utf8")).resolves.toBe(
      "# Plan\n\n1. Do it well\n",
    );
    // propose_plan reads it back through readPlanFile.
    const chatRow = (await findOwnChat(t.db, member.user.id, chatId))!;
    const ctx = {
      db: t.db,
      chat: chatRow,
      ownerId: member.user.id,
      planMode: true,
      agent: "root" as const,
      signal: new AbortController().signal,
      toolCallId: "t",
      emitPart: () => undefined,
    };
    await expect(readPlanFile(ctx)).resolves.toEqual({
      path: plan,
      content: "# Plan\n\n1. Do it well\n",
    });
    await fs.rm(path.join(workspace.dir, plan));
    await expect(readPlanFile(ctx)).rejects.toThrow(/no plan file yet/);
    // A scripted call to a tool plan mode does not offer is refused.
    expect(parts[3]).toMatchObject({ name: "process_list", is_error: true });
    expect(
      res.body.message.parts.some(
        (p: { type: string; code?: string }) => p.type === "notice" && p.code === "tool.denied",
      ),
    ).toBe(true);
  });

  it("refuses a plan file reached through a symlinked directory, and plans over 32 KiB", async () => {
    const { chatId, workspace } = await workspaceChat();
    await fs.mkdir(path.join(workspace.dir, "src"), { recursive: true });
    await fs.mkdir(path.join(workspace.dir, "src/plans"), { recursive: true });
    await fs.symlink("src", path.join(workspace.dir, ".toolgate"));
    const plan = planFilePath(chatId);
    const key = `symlink-${Date.now()}`;
    fake.script(key, [
      { toolCalls: [{ name: "write_file", arguments: { path: plan, content: "# Plan\n" } }] },
      { text: "ok" },
    ]);
    const res = await sendJson(chatId, { content: key, plan_mode: true });
    const [part] = toolParts(res.body.message);
    expect(part).toMatchObject({ name: "write_file", is_error: true });
    expect(String(part!.output!.text)).toMatch(/not a plain directory/);
    await expect(fs.readdir(path.join(workspace.dir, "src/plans"))).resolves.toEqual([]);

    await fs.rm(path.join(workspace.dir, ".toolgate"));
    // The fake model answers by the chat's first message: the follow-up re-registers its key.
    fake.script(key, [
      {
        toolCalls: [{ name: "write_file", arguments: { path: plan, content: "#".repeat(33_000) } }],
      },
      { text: "ok" },
    ]);
    const tooBig = await sendJson(chatId, { content: "again", plan_mode: true });
    const [bigPart] = toolParts(tooBig.body.message);
    expect(String(bigPart!.output!.text)).toMatch(/at most 32768 bytes/);
  });

  it("offers the file tools once create_workspace attached a workspace, in the same turn", async () => {
    const chat = (await call(createChat, { token: member.token, body: {} })).body;
    const key = `nows-${Date.now()}`;
    fake.script(key, [
      { toolCalls: [{ name: "read_file", arguments: { path: "README.md" } }] },
      {
        toolCalls: [{ name: "create_workspace", arguments: { template: "empty", name: "Fresh" } }],
      },
      { toolCalls: [{ name: "read_file", arguments: { path: "README.md" } }] },
      { toolCalls: [{ name: "create_workspace", arguments: {} }] },
      { toolCalls: [{ name: "list_templates", arguments: {} }] },
      { text: "ok" },
    ]);
    const res = await sendJson(chat.id, { content: key });
    expect(res.status).toBe(200);
    const parts = toolParts(res.body.message);
    // Without a workspace the file tools are not offered; create_workspace adds them to the
    // turn's tools, so the same turn's next step reads the file.
    expect(parts[0]).toMatchObject({ name: "read_file", is_error: true, state: "denied" });
    expect(String(parts[0]!.output)).toMatch(/read_file is not available/);
    expect(parts[1]).toMatchObject({ name: "create_workspace", state: "complete" });
    const created = parts[1]!.output!.workspace as { id: string; status: string };
    workspaceIds.push(created.id);
    expect(created.status).toBe("running");
    expect(parts[2]).toMatchObject({ name: "read_file", state: "complete" });
    expect(parts[3]).toMatchObject({ name: "create_workspace", is_error: true });
    expect(String(parts[3]!.output!.text)).toMatch(/already has the workspace "Fresh"/);
    expect(parts[4]!.output!.templates).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: "sample-node" })]),
    );
    const reopened = await call(getChat, { token: member.token, params: { id: chat.id } });
    expect(reopened.body.workspace_id).toBe(created.id);

    // stop_workspace from the chat stops the agent.
    const pid = (await findWorkspace(t.db, created.id))!.agentPid!;
    fake.script(key, [
      { toolCalls: [{ name: "stop_workspace", arguments: {} }] },
      { toolCalls: [{ name: "execute", arguments: { command: "true" } }] },
      { text: "ok" },
    ]);
    const stopped = await sendJson(chat.id, { content: "stop it" });
    const stopParts = toolParts(stopped.body.message);
    expect(stopParts[0]).toMatchObject({ name: "stop_workspace", state: "complete" });
    expect(isGone(pid)).toBe(true);
    expect(String(stopParts[1]!.output!.text)).toMatch(/is stopped.*start_workspace/);
  });

  it("refuses to attach someone else's workspace through the API", async () => {
    const other = await seedUser(t.db);
    const { workspace } = await workspaceChat();
    const chat = (await call(createChat, { token: other.token, body: {} })).body;
    const res = await call(patchChat, {
      token: other.token,
      method: "PATCH",
      params: { id: chat.id },
      body: { workspace_id: workspace.id },
    });
    expect(res.status).toBe(400);
  });
});
