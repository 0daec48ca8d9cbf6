// Sub-agents: a sub-agent is a child chat of the same owner (parentChatId) with the parent's
// workspace, model and MCP selection, whose turns run concurrently through the same turn
// runner. Its agent kind (subagent | explore) is stored on the chat, so the tool policy gives
// it the narrower boundary on every turn. Only a root agent manages sub-agents (the policy
// refuses these tools to children, so children cannot spawn children).
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import {
  findChildChat,
  findOwnChat,
  insertChat,
  listChildChats,
  listMessages,
  type ChatRow,
} from "@/db/queries/chats";
import { ApiError } from "@/lib/errors";
import type { Part } from "@/lib/chat/wire";
import { resolveModel } from "@/lib/llm/registry";
import { refusalsAsResults, ToolRefusal } from "./refusal";
import { defineBuiltin, type BuiltinContext, type BuiltinTool } from "./types";
import { loggableError } from "@/db/queries/errors";

/** Sub-agents of one chat running at the same time. */
export const MAX_RUNNING_AGENTS = 4;
/** Sub-agents one chat may create in all. */
export const MAX_AGENTS_PER_CHAT = 20;
const POLL_MS = 300;
const DEFAULT_WAIT_S = 120;
const MAX_WAIT_S = 600;
/** A report longer than this is cut: it goes into the parent's context. */
const MAX_REPORT_CHARS = 20_000;

const agentId = z.guid().describe("The agent_id returned by spawn_agent or spawn_explore_agent.");

function requireRoot(ctx: BuiltinContext): void {
  // The policy already refuses these tools to sub-agents; this keeps a mistake there harmless.
  if (ctx.agent !== "root") {
    throw new ToolRefusal("agent.not_root", "Only the main agent can manage sub-agents.");
  }
}

async function childOf(ctx: BuiltinContext, id: string): Promise<ChatRow> {
  const child = await findChildChat(ctx.db, ctx.ownerId, ctx.chat.id, id);
  if (!child) {
    throw new ToolRefusal(
      "agent.not_found",
      `No sub-agent ${id} in this chat. list_agents shows them.`,
    );
  }
  return child;
}

/** The last assistant message's text: what the sub-agent reports back. */
async function lastReport(ctx: BuiltinContext, childId: string): Promise<string> {
  const rows = await listMessages(ctx.db, childId);
  const last = rows.findLast((m) => m.role === "assistant");
  const text = ((last?.parts ?? []) as Part[])
    .filter((p): p is Extract<Part, { type: "text" }> => p.type === "text")
    .map((p) => p.text)
    .join("\n")
    .trim();
  return text.length > MAX_REPORT_CHARS
    ? `${text.slice(0, MAX_REPORT_CHARS)}\n[report cut at ${MAX_REPORT_CHARS} characters]`
    : text;
}

function describe(child: ChatRow) {
  return {
    agent_id: child.id,
    title: child.title,
    kind: child.agentKind,
    status: child.status,
    created_at: child.createdAt.toISOString(),
  };
}

/** Starts a turn in the child chat; the turn runs on in the background. */
async function runChildTurn(ctx: BuiltinContext, child: ChatRow, task: string): Promise<void> {
  const model = await resolveModel(ctx.db, child.model);
  try {
    const turn = await ctx.turns.start({
      chat: child,
      ownerId: ctx.ownerId,
      content: task,
      // Children inherit the parent's plan mode.
      planMode: ctx.planMode,
      model,
    });
    turn.done.catch((err: unknown) =>
      console.error(`[agent ${child.id}] turn failed:`, loggableError(err)),
    );
  } catch (err) {
    if (err instanceof ApiError && err.code === "chat.busy") {
      throw new ToolRefusal(
        "agent.busy",
        `Sub-agent ${child.id} is still working. Call wait_agent first.`,
      );
    }
    throw err;
  }
}

function spawnTool(name: string, kind: "subagent" | "explore", description: string) {
  return defineBuiltin({
    name,
    description,
    inputSchema: z.strictObject({
      task: z
        .string()
        .trim()
        .min(1)
        .max(20_000)
        .describe(
          "Everything the sub-agent needs: the goal, the context you already have, and what to report back.",
        ),
      title: z.string().trim().max(80).optional().describe("A short name shown to the user."),
    }),
    execute: (input, ctx) =>
      refusalsAsResults(async () => {
        requireRoot(ctx);
        const children = await listChildChats(ctx.db, ctx.ownerId, ctx.chat.id);
        if (children.length >= MAX_AGENTS_PER_CHAT) {
          throw new ToolRefusal(
            "agent.limit",
            `This chat already has ${MAX_AGENTS_PER_CHAT} sub-agents.`,
          );
        }
        if (children.filter((c) => c.status === "running").length >= MAX_RUNNING_AGENTS) {
          throw new ToolRefusal(
            "agent.limit",
            `${MAX_RUNNING_AGENTS} sub-agents are already running. Wait for one with wait_agent first.`,
          );
        }
        // Read fresh: create_workspace may have attached a workspace earlier in this turn.
        const parent = (await findOwnChat(ctx.db, ctx.ownerId, ctx.chat.id)) ?? ctx.chat;
        const child = await insertChat(ctx.db, {
          ownerId: ctx.ownerId,
          title: input.title ?? "",
          model: parent.model,
          mcpServerIds: parent.mcpServerIds,
          workspaceId: parent.workspaceId,
          parentChatId: ctx.chat.id,
          agentKind: kind,
        });
        await runChildTurn(ctx, child, input.task);
        return {
          agent_id: child.id,
          kind,
          status: "running",
          message: "The sub-agent is working. Collect its report with wait_agent.",
        };
      }),
  });
}

const spawnAgent = spawnTool(
  "spawn_agent",
  "subagent",
  "Start a sub-agent for a delegated task. It works concurrently in its own chat, with this chat's workspace and tools (narrower in plan mode: read and inspect only), and cannot talk to the user. Returns an agent_id for wait_agent.",
);

const spawnExploreAgent = spawnTool(
  "spawn_explore_agent",
  "explore",
  "Start a read-only explore sub-agent to research a question (read files, run inspection commands, use this chat's approved external MCP tools). Start several for independent questions; collect each report with wait_agent.",
);

const waitAgent = defineBuiltin({
  name: "wait_agent",
  description:
    "Wait until a sub-agent finishes its current task and return its report (its last message). Returns status running if it is still busy after the timeout.",
  inputSchema: z.strictObject({
    agent_id: agentId,
    timeout_seconds: z
      .number()
      .int()
      .min(1)
      .max(MAX_WAIT_S)
      .optional()
      .describe(`How long to wait, in seconds (default ${DEFAULT_WAIT_S}).`),
  }),
  execute: (input, ctx) =>
    refusalsAsResults(async () => {
      requireRoot(ctx);
      const deadline = Date.now() + (input.timeout_seconds ?? DEFAULT_WAIT_S) * 1000;
      let child = await childOf(ctx, input.agent_id);
      // Polling the database, not an in-memory promise: the child's turn may run on another
      // instance. The sleep rejects when this turn is stopped.
      while (child.status === "running" && Date.now() < deadline) {
        await sleep(Math.min(POLL_MS, Math.max(deadline - Date.now(), 1)), undefined, {
          signal: ctx.signal,
        });
        child = await childOf(ctx, input.agent_id);
      }
      if (child.status === "running") {
        return {
          agent_id: child.id,
          status: "running",
          message: "The sub-agent is still working. Wait again or continue without it.",
        };
      }
      const report = await lastReport(ctx, child.id);
      return {
        agent_id: child.id,
        status: child.status,
        report:
          report ||
          (child.status === "error"
            ? "The sub-agent's turn failed before it reported."
            : "The sub-agent finished without a report."),
      };
    }),
});

const messageAgent = defineBuiltin({
  name: "message_agent",
  description:
    "Send a follow-up task or question to an idle sub-agent; it keeps its earlier context. Collect the answer with wait_agent.",
  inputSchema: z.strictObject({
    agent_id: agentId,
    message: z.string().trim().min(1).max(20_000),
  }),
  execute: (input, ctx) =>
    refusalsAsResults(async () => {
      requireRoot(ctx);
      const child = await childOf(ctx, input.agent_id);
      if (child.status === "running") {
        throw new ToolRefusal(
          "agent.busy",
          `Sub-agent ${child.id} is still working. Call wait_agent first.`,
        );
      }
      await runChildTurn(ctx, child, input.message);
      return { agent_id: child.id, status: "running" };
    }),
});

const closeAgent = defineBuiltin({
  name: "close_agent",
  description: "Stop a sub-agent's current work. Its chat and what it wrote so far are kept.",
  inputSchema: z.strictObject({ agent_id: agentId }),
  execute: (input, ctx) =>
    refusalsAsResults(async () => {
      requireRoot(ctx);
      let child = await childOf(ctx, input.agent_id);
      const stopped = await ctx.turns.cancel(child);
      // A stopped turn settles within a moment on this instance, a heartbeat on another.
      const deadline = Date.now() + 10_000;
      while (stopped && child.status === "running" && Date.now() < deadline) {
        await sleep(POLL_MS, undefined, { signal: ctx.signal });
        child = await childOf(ctx, input.agent_id);
      }
      return { agent_id: child.id, stopped, status: child.status };
    }),
});

const listAgents = defineBuiltin({
  name: "list_agents",
  description: "List this chat's sub-agents with their kind and status.",
  inputSchema: z.strictObject({}),
  execute: (_input, ctx) =>
    refusalsAsResults(async () => {
      requireRoot(ctx);
      return { agents: (await listChildChats(ctx.db, ctx.ownerId, ctx.chat.id)).map(describe) };
    }),
});

export const AGENT_TOOLS: BuiltinTool[] = [
  spawnAgent,
  spawnExploreAgent,
  waitAgent,
  messageAgent,
  closeAgent,
  listAgents,
];
