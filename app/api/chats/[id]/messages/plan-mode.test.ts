// Plan mode, questions and sub-agents end to end through the route handlers, with the fake
// OpenAI-compatible model, a real MCP test server and a real workspace agent.
import fs from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { FakeOpenAI, RecordedRequest } from "@/e2e/fixtures/fake-openai";
import type { RunningMcpTestServer } from "@/e2e/fixtures/mcp-test-server";
import { findWorkspace } from "@/db/queries/workspaces";
import { PUT as putSettings } from "@/app/api/admin/settings/route";
import { POST as createServer } from "@/app/api/mcp/servers/route";
import { POST as createWorkspace } from "@/app/api/workspaces/route";
import { planFilePath } from "@/lib/chat/plan-file";
import { call } from "@/lib/testing/http";
import { withTestDatabase } from "@/lib/testing/db";
import { withTurnFixtures } from "@/lib/testing/turn-fixtures";
import { stopWorkspacesAfterAll } from "@/lib/testing/workspaces";
import { GET as getChat } from "../route";
import { GET as children } from "../children/route";
import { POST as createChat } from "../../route";
import { POST as send } from "./route";

const t = withTestDatabase();
const fixtures = withTurnFixtures(t);
const workspaceIds = stopWorkspacesAfterAll(t);
let fake: FakeOpenAI;
let mcp: RunningMcpTestServer;
let admin: typeof fixtures.admin;
let member: typeof fixtures.member;
let approved: { id: string; slug: string };
let unapproved: { id: string; slug: string };
const EXTRA = "House rule: every plan names its rollback step.";

async function server(slug: string, over: Record<string, unknown>) {
  const res = await call(createServer, {
    token: admin.token,
    body: {
      display_name: slug,
      slug,
      url: mcp.mcpUrl,
      enabled: true,
      auth_type: "none",
      tool_allow_list: ["echo", "read_docs"],
      ...over,
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; slug: string };
}

beforeAll(async () => {
  ({ fake, mcp, admin, member } = fixtures);
  approved = await server("docs", { allow_in_plan_mode: true });
  unapproved = await server("tickets", { allow_in_plan_mode: false });
  const saved = await call(putSettings, {
    token: admin.token,
    method: "PUT",
    body: { plan_mode_instructions: EXTRA },
  });
  expect(saved.status).toBe(200);
});

let counter = 0;
const key = (label: string) => `${label}-${++counter}-${Date.now()}`;

async function newChat(
  mcpServerIds: string[] = [approved.id, unapproved.id],
  workspaceId?: string,
) {
  const res = await call(createChat, {
    token: member.token,
    body: { mcp_server_ids: mcpServerIds, ...(workspaceId ? { workspace_id: workspaceId } : {}) },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string };
}

const sendJson = (chatId: string, body: Record<string, unknown>) =>
  call(send, {
    token: member.token,
    params: { id: chatId },
    body,
    headers: { accept: "application/json" },
  });

type StoredPart = { type: string; [k: string]: unknown };
const partsOf = (res: { body: { message: { parts: StoredPart[] } } }) => res.body.message.parts;
const systemOf = (req: RecordedRequest) => String(req.messages[0]?.content ?? "");
/** The agent id a spawn tool returned, read from the tool results the model was sent. */
const agentIdIn = (req: RecordedRequest) =>
  /agent_id\\?":\\?"([0-9a-f-]{36})/.exec(JSON.stringify(req.messages))?.[1] ?? "missing";

describe("a root plan-mode turn", () => {
  it("is offered the approved server's tools only, with the plan prompt and the admin's rules", async () => {
    const chat = await newChat();
    const k = key("plan-offer");
    const before = mcp.toolCalls().length;
    const script = fake.script(k, [
      {
        toolCalls: [
          { name: `${unapproved.slug}__echo`, arguments: { text: "from-unapproved" } },
          { name: `${approved.slug}__echo`, arguments: { text: "from-approved" } },
        ],
      },
      { text: "Investigated." },
    ]);
    const res = await sendJson(chat.id, { content: `${k} plan it`, plan_mode: true });
    expect(res.status, JSON.stringify(res.body)).toBe(200);

    const [first, second] = script.requests();
    const offered = first!.toolNames;
    expect(offered).toContain(`${approved.slug}__echo`);
    expect(offered).toContain(`${approved.slug}__read_docs`);
    expect(offered.filter((n) => n.startsWith(`${unapproved.slug}__`))).toEqual([]);
    for (const name of ["propose_plan", "ask_user_question", "spawn_explore_agent", "wait_agent"])
      expect(offered).toContain(name);
    for (const name of ["message_agent", "close_agent", "process_list", "process_signal"])
      expect(offered).not.toContain(name);

    // The unapproved call is refused here and never reaches the server; the approved one does.
    const calls = mcp.toolCalls().slice(before);
    expect(calls.map((c) => c.arguments)).toEqual([{ text: "from-approved" }]);
    const tools = partsOf(res).filter((p) => p.type === "tool");
    expect(tools.map((p) => [p.name, p.state])).toEqual([
      [`${unapproved.slug}__echo`, "denied"],
      [`${approved.slug}__echo`, "complete"],
    ]);
    expect(partsOf(res)).toContainEqual(
      expect.objectContaining({ type: "notice", code: "tool.denied" }),
    );
    expect(JSON.stringify(second!.messages)).toContain("from-approved");

    const system = systemOf(first!);
    expect(first!.messages[0]!.role).toBe("system");
    expect(system).toContain("Plan mode is on");
    expect(system).toContain(
      `<plan-file-path>\nThe plan file of this chat is ${planFilePath(chat.id)}`,
    );
    expect(system).toContain(EXTRA);
    expect(res.body.message.plan_mode).toBe(true);
    expect(res.body.chat.status).toBe("idle");
  });

  it("offers every selected server and no plan overlay outside plan mode", async () => {
    const chat = await newChat();
    const k = key("normal-offer");
    const script = fake.script(k, [{ text: "Hi." }]);
    await sendJson(chat.id, { content: k });
    const [first] = script.requests();
    expect(first!.toolNames).toContain(`${unapproved.slug}__echo`);
    expect(first!.toolNames).not.toContain("propose_plan");
    expect(systemOf(first!)).not.toContain("Plan mode is on");
    expect(systemOf(first!)).not.toContain(EXTRA);
  });
});

describe("ask_user_question", () => {
  const questions = [
    {
      header: "Storage",
      question: "Where should the data live?",
      options: [{ label: "Postgres", description: "Like the rest" }, { label: "Files" }],
    },
    {
      question: "Which parts are in scope?",
      options: [{ label: "API" }, { label: "UI" }, { label: "Docs" }],
      multi_select: true,
    },
  ];

  it("stores the questions, ends the turn waiting for the user, and reads the answers next", async () => {
    const chat = await newChat([]);
    const k = key("ask");
    const answers =
      "My answers to your questions:\n\n1. Where should the data live?\n   Answer: Files";
    const script = fake.script(k, [
      { toolCalls: [{ name: "ask_user_question", arguments: { questions } }] },
      { text: "Thanks, planning with files." },
    ]);
    const res = await sendJson(chat.id, { content: `${k} plan storage`, plan_mode: true });
    expect(res.status).toBe(200);
    // The turn ended on the question: no second model call.
    expect(script.requests()).toHaveLength(1);
    expect(res.body.chat.status).toBe("waiting");
    const question = partsOf(res).find((p) => p.type === "question");
    expect(question).toEqual({ type: "question", questions });
    expect(partsOf(res).find((p) => p.type === "tool")).toMatchObject({
      name: "ask_user_question",
      state: "complete",
    });
    const stored = await call(getChat, { token: member.token, params: { id: chat.id } });
    expect(stored.body.status).toBe("waiting");
    expect(stored.body.messages[1].parts).toEqual(partsOf(res));

    const next = await sendJson(chat.id, { content: answers, plan_mode: true });
    expect(next.status).toBe(200);
    expect(next.body.chat.status).toBe("idle");
    const followUp = script.requests()[1]!;
    expect(followUp.lastUserText).toBe(answers);
    // The model sees its own question and the tool's result before the answers.
    expect(JSON.stringify(followUp.messages)).toContain("Where should the data live?");
  });

  it("refuses malformed questions and lets the model correct itself", async () => {
    const chat = await newChat([]);
    const k = key("ask-bad");
    const script = fake.script(k, [
      {
        toolCalls: [
          {
            name: "ask_user_question",
            arguments: { questions: [{ question: "Only one?", options: [{ label: "Yes" }] }] },
          },
        ],
      },
      { text: "Let me decide myself." },
    ]);
    const res = await sendJson(chat.id, { content: k, plan_mode: true });
    expect(script.requests()).toHaveLength(2);
    expect(partsOf(res).some((p) => p.type === "question")).toBe(false);
    expect(partsOf(res).find((p) => p.type === "tool")).toMatchObject({ state: "error" });
    expect(res.body.chat.status).toBe("idle");
  });
});

describe("propose_plan", () => {
  it("reports a clear error without a workspace and the turn goes on", async () => {
    const chat = await newChat([]);
    const k = key("propose-no-ws");
    const script = fake.script(k, [
      { toolCalls: [{ name: "propose_plan", arguments: {} }] },
      { text: "I need a workspace first." },
    ]);
    const res = await sendJson(chat.id, { content: k, plan_mode: true });
    expect(script.requests()).toHaveLength(2);
    const part = partsOf(res).find((p) => p.type === "tool");
    expect(part).toMatchObject({ name: "propose_plan", state: "error", is_error: true });
    expect(part!.output).toMatchObject({ is_error: true, code: "workspace.none" });
    expect(JSON.stringify(part!.output)).toContain(planFilePath(chat.id));
    expect(partsOf(res).some((p) => p.type === "plan")).toBe(false);
    expect(res.body.chat.status).toBe("idle");
  });

  it("is not offered outside plan mode", async () => {
    const chat = await newChat([]);
    const k = key("propose-normal");
    const script = fake.script(k, [
      { toolCalls: [{ name: "propose_plan", arguments: {} }] },
      { text: "ok" },
    ]);
    const res = await sendJson(chat.id, { content: k });
    expect(script.requests()[0]!.toolNames).not.toContain("propose_plan");
    expect(partsOf(res).find((p) => p.type === "tool")).toMatchObject({ state: "denied" });
  });
});

describe("sub-agents", () => {
  it("a plan-mode sub-agent runs in its own chat with read-only built-ins and no MCP", async () => {
    const chat = await newChat();
    const k = key("spawn-plan");
    const childKey = key("child-task");
    const child = fake.script(childKey, [{ text: "Child report: the config lives in app.ts." }]);
    const parent = fake.script(k, [
      {
        toolCalls: [
          {
            name: "spawn_agent",
            arguments: { task: `${childKey} find the config`, title: "Config" },
          },
        ],
      },
      {
        reply: (req) => ({
          toolCalls: [{ name: "wait_agent", arguments: { agent_id: agentIdIn(req) } }],
        }),
      },
      { text: "Parent done." },
    ]);
    const res = await sendJson(chat.id, { content: k, plan_mode: true });
    expect(res.status).toBe(200);

    const [childReq] = child.requests();
    expect(childReq, "the child's turn reached the model").toBeDefined();
    const allowed = new Set(["read_file", "execute", "process_output"]);
    expect(childReq!.toolNames.filter((n) => !allowed.has(n))).toEqual([]);
    expect(systemOf(childReq!)).toContain("you are a sub-agent");
    expect(systemOf(childReq!)).toContain(EXTRA);
    expect(JSON.stringify(parent.requests()[2]!.messages)).toContain("Child report");

    const list = await call(children, { token: member.token, params: { id: chat.id } });
    expect(list.status).toBe(200);
    expect(list.body).toHaveLength(1);
    expect(list.body[0]).toMatchObject({
      parent_chat_id: chat.id,
      agent_kind: "subagent",
      status: "idle",
      title: "Config",
      mcp_server_ids: [approved.id, unapproved.id],
    });
    const childChat = await call(getChat, { token: member.token, params: { id: list.body[0].id } });
    expect(childChat.body.messages.map((m: { plan_mode: boolean }) => m.plan_mode)).toEqual([
      true,
      true,
    ]);
    // Owner only, and root chats only in the list.
    expect((await call(children, { token: admin.token, params: { id: chat.id } })).status).toBe(
      404,
    );
  });

  it("an explore sub-agent gets the parent's plan-filtered MCP tools", async () => {
    const chat = await newChat();
    const k = key("spawn-explore");
    const childKey = key("explore-task");
    const child = fake.script(childKey, [{ text: "Explored." }]);
    fake.script(k, [
      { toolCalls: [{ name: "spawn_explore_agent", arguments: { task: `${childKey} look` } }] },
      {
        reply: (req) => ({
          toolCalls: [{ name: "wait_agent", arguments: { agent_id: agentIdIn(req) } }],
        }),
      },
      { text: "Done." },
    ]);
    await sendJson(chat.id, { content: k, plan_mode: true });
    const offered = child.requests()[0]!.toolNames;
    expect(offered).toContain(`${approved.slug}__echo`);
    expect(offered.filter((n) => n.startsWith(`${unapproved.slug}__`))).toEqual([]);
    for (const name of ["spawn_agent", "wait_agent", "propose_plan", "write_file"])
      expect(offered).not.toContain(name);
    expect(systemOf(child.requests()[0]!)).toContain("<explore-mode>");
    const list = await call(children, { token: member.token, params: { id: chat.id } });
    expect(list.body[0]).toMatchObject({ agent_kind: "explore", status: "idle" });
  });

  it("messages an idle sub-agent, lists it and stops a running one", async () => {
    const chat = await newChat([]);
    const k = key("manage");
    const childKey = key("worker-task");
    const slowKey = key("slow-task");
    fake.script(childKey, [{ text: "First report." }, { text: "Second report." }]);
    fake.script(slowKey, [{ text: "a b c d e f g h i j k l m n o p q r s t", chunkDelayMs: 300 }]);
    let worker = "";
    let slow = "";
    const parent = fake.script(k, [
      { toolCalls: [{ name: "spawn_agent", arguments: { task: `${childKey} work` } }] },
      {
        reply: (req) => {
          worker = agentIdIn(req);
          return { toolCalls: [{ name: "wait_agent", arguments: { agent_id: worker } }] };
        },
      },
      {
        reply: () => ({
          toolCalls: [{ name: "message_agent", arguments: { agent_id: worker, message: "more" } }],
        }),
      },
      { reply: () => ({ toolCalls: [{ name: "wait_agent", arguments: { agent_id: worker } }] }) },
      { toolCalls: [{ name: "spawn_agent", arguments: { task: `${slowKey} slowly` } }] },
      {
        reply: (req) => {
          const ids = [
            ...JSON.stringify(req.messages).matchAll(/agent_id\\?":\\?"([0-9a-f-]{36})/g),
          ];
          slow = ids.map((m) => m[1]!).find((id) => id !== worker) ?? "missing";
          return { toolCalls: [{ name: "list_agents", arguments: {} }] };
        },
      },
      { reply: () => ({ toolCalls: [{ name: "close_agent", arguments: { agent_id: slow } }] }) },
      { text: "All managed." },
    ]);
    const res = await sendJson(chat.id, { content: k });
    expect(res.status).toBe(200);
    const tools = partsOf(res).filter((p) => p.type === "tool");
    expect(tools.map((p) => [p.name, p.state])).toEqual([
      ["spawn_agent", "complete"],
      ["wait_agent", "complete"],
      ["message_agent", "complete"],
      ["wait_agent", "complete"],
      ["spawn_agent", "complete"],
      ["list_agents", "complete"],
      ["close_agent", "complete"],
    ]);
    expect(JSON.stringify(tools[1]!.output)).toContain("First report.");
    expect(JSON.stringify(tools[3]!.output)).toContain("Second report.");
    const listed = (tools[5]!.output as { agents: { agent_id: string; status: string }[] }).agents;
    expect(listed.find((a) => a.agent_id === slow)?.status).toBe("running");
    expect(tools[6]!.output).toMatchObject({ agent_id: slow, stopped: true, status: "idle" });
    expect(parent.requests()).toHaveLength(8);

    const slowChat = await call(getChat, { token: member.token, params: { id: slow } });
    expect(slowChat.body.messages.map((m: { role: string }) => m.role)).toEqual([
      "user",
      "assistant",
    ]);
    expect(slowChat.body.messages[1].status).toBe("cancelled");
    // A child's id is not an agent of another chat.
    const other = await newChat([]);
    const k2 = key("foreign");
    fake.script(k2, [
      { toolCalls: [{ name: "wait_agent", arguments: { agent_id: worker } }] },
      { text: "no" },
    ]);
    const foreign = await sendJson(other.id, { content: k2 });
    expect(partsOf(foreign).find((p) => p.type === "tool")).toMatchObject({ state: "error" });
  });
});

describe("with a workspace", () => {
  let workspaceId: string;
  beforeAll(async () => {
    // sample-node has a .mcp.json server ("notes"): workspace MCP tools to keep out.
    const ws = await call(createWorkspace, {
      token: member.token,
      body: { name: "plans", template: "sample-node" },
    });
    expect(ws.status, JSON.stringify(ws.body)).toBe(201);
    workspaceId = ws.body.id;
    workspaceIds.push(workspaceId);
  }, 90_000);

  it("runs execute in the OS sandbox: only the plan file is writable, nothing is reachable", async () => {
    const chat = await newChat([approved.id], workspaceId);
    const k = key("sandboxed");
    const plan = planFilePath(chat.id);
    const attack = [
      "echo hijacked > src/index.js",
      "cat ../../secrets.keys",
      `echo "- step" >> ${plan}`,
      `node -e "require('net').connect(5432,'127.0.0.1').on('error',e=>{console.log('NET '+e.code)})"`,
    ]
      .map((c) => `{ ${c}; } 2>&1`)
      .join("; ");
    fake.script(k, [
      { toolCalls: [{ name: "execute", arguments: { command: attack } }] },
      { text: "Done planning." },
    ]);
    const res = await sendJson(chat.id, { content: `${k} look around`, plan_mode: true });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const [exec] = partsOf(res).filter((p) => p.type === "tool" && p.name === "execute");
    const output = (exec!.output as { output: string }).output;
    expect(output).toContain("Read-only file system");
    expect(output).toContain("No such file or directory");
    expect(output).toMatch(/NET (ENETUNREACH|ECONNREFUSED)/);
    const row = (await findWorkspace(t.db, workspaceId))!;
    await expect(fs.readFile(join(row.dir, "src/index.js"), "utf8")).resolves.not.toContain(
      "hijacked",
    );
    await expect(fs.readFile(join(row.dir, plan), "utf8")).resolves.toBe("- step\n");
  });

  it("writes the plan file, proposes it and ends the turn with the plan stored", async () => {
    const chat = await newChat([approved.id], workspaceId);
    const k = key("propose");
    const path = planFilePath(chat.id);
    const plan = "# Plan\n\n1. Read `src/index.js`.\n2. Add the endpoint.\n\nRollback: revert.\n";
    const script = fake.script(k, [
      {
        toolCalls: [
          { name: `${approved.slug}__read_docs`, arguments: { topic: "endpoints" } },
          { name: "write_file", arguments: { path: "src/index.js", content: "// hijacked" } },
        ],
      },
      { toolCalls: [{ name: "propose_plan", arguments: {} }] },
      { toolCalls: [{ name: "write_file", arguments: { path, content: plan } }] },
      { toolCalls: [{ name: "propose_plan", arguments: { path } }] },
      { text: "never requested" },
    ]);
    const res = await sendJson(chat.id, { content: `${k} plan the endpoint`, plan_mode: true });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const offered = script.requests()[0]!.toolNames;
    expect(offered.filter((n) => n.startsWith("notes__"))).toEqual([]);

    const tools = partsOf(res).filter((p) => p.type === "tool");
    expect(tools.map((p) => [p.name, p.state])).toEqual([
      [`${approved.slug}__read_docs`, "complete"],
      ["write_file", "error"], // outside the plan file
      ["propose_plan", "error"], // no plan written yet
      ["write_file", "complete"],
      ["propose_plan", "complete"],
    ]);
    expect(tools[2]!.output).toMatchObject({ code: "plan_mode.no_plan" });
    expect(partsOf(res).filter((p) => p.type === "plan")).toEqual([
      // The agent reads by lines: the final newline is not part of the content.
      { type: "plan", path, content: plan.trimEnd() },
    ]);
    // The turn ended on propose_plan: four model calls, the fifth step never asked for.
    expect(script.requests()).toHaveLength(4);
    expect(script.remaining()).toBe(1);
    expect(res.body.chat.status).toBe("waiting");
    const row = (await findWorkspace(t.db, workspaceId))!;
    await expect(fs.readFile(join(row.dir, "src/index.js"), "utf8")).resolves.not.toContain(
      "hijacked",
    );

    // "Implement plan" is a normal turn: the model sees the plan and gets the full tool set.
    const impl = fake.script(`${k} plan the endpoint`, [{ text: "Implementing." }]);
    const next = await sendJson(chat.id, { content: "Implement the plan." });
    expect(next.body.message.plan_mode).toBe(false);
    expect(next.body.chat.status).toBe("idle");
    const req = impl.requests()[0]!;
    expect(req.toolNames).toContain("process_list");
    expect(req.toolNames).not.toContain("propose_plan");
    expect(JSON.stringify(req.messages)).toContain("Add the endpoint.");
  });

  it("keeps workspace MCP from explore agents and gives it to plain sub-agents", async () => {
    const chat = await newChat([approved.id, unapproved.id], workspaceId);
    const k = key("ws-agents");
    const exploreKey = key("ws-explore-task");
    const workerKey = key("ws-worker-task");
    const explore = fake.script(exploreKey, [{ text: "explored" }]);
    const worker = fake.script(workerKey, [{ text: "worked" }]);
    const root = fake.script(k, [
      {
        toolCalls: [
          { name: "spawn_explore_agent", arguments: { task: `${exploreKey} look` } },
          { name: "spawn_agent", arguments: { task: `${workerKey} work` } },
        ],
      },
      {
        reply: (req) => {
          const ids = [
            ...JSON.stringify(req.messages).matchAll(/agent_id\\?":\\?"([0-9a-f-]{36})/g),
          ].map((m) => m[1]!);
          return {
            toolCalls: ids.map((id) => ({ name: "wait_agent", arguments: { agent_id: id } })),
          };
        },
      },
      { text: "Both done." },
    ]);
    const res = await sendJson(chat.id, { content: k });
    expect(res.status).toBe(200);
    expect(root.requests()[0]!.toolNames).toContain("notes__add_note");
    const exploreTools = explore.requests()[0]!.toolNames;
    expect(exploreTools.filter((n) => n.startsWith("notes__"))).toEqual([]);
    // The parent's external servers, both of them outside plan mode.
    expect(exploreTools).toContain(`${approved.slug}__echo`);
    expect(exploreTools).toContain(`${unapproved.slug}__echo`);
    expect(exploreTools).toContain("read_file");
    expect(exploreTools).not.toContain("write_file");
    const workerTools = worker.requests()[0]!.toolNames;
    expect(workerTools).toContain("notes__add_note");
    expect(workerTools).toContain("write_file");
    expect(workerTools).not.toContain("spawn_agent");
    const list = await call(children, { token: member.token, params: { id: chat.id } });
    expect(list.body.map((c: { workspace_id: string }) => c.workspace_id)).toEqual([
      workspaceId,
      workspaceId,
    ]);
  });
});
