import "server-only";
// The workspace's own MCP servers (`.mcp.json`, discovered and proxied by its agent) as tools
// of a turn. Only when the policy admits workspace MCP for the turn (never in plan mode, never
// for explore agents) is the agent asked at all; the tools explainer lists them regardless,
// with the policy's reason. Names are `<server>__<tool>`, sanitised like admin tools; a name a
// built-in or an offered admin tool already holds is lost (`name_clash`).
import { dynamicTool, jsonSchema, type ToolSet } from "ai";
import type { Executor } from "@/db/client";
import { findOwnWorkspace } from "@/db/queries/workspaces";
import type { ChatToolRow } from "@/lib/client/types";
import { checkToolArguments, invalidArgumentsMessage } from "@/lib/mcp/input-validation";
import {
  capDescription,
  convertToolResult,
  modelFacingSchema,
  unwrapToolInput,
} from "@/lib/mcp/tool-adapter";
import { assignExposedNames } from "@/lib/mcp/tool-names";
import { decide, type TurnPolicy } from "@/lib/policy/tool-policy";
import { AgentRequestError, type AgentMcpListing } from "@/lib/workspace/agent-client";
import { runningAgent } from "@/lib/workspace/service";
import type { ToolOrigin } from "./parts";
import type { Notice } from "./mcp-notices";
import { denyCall } from "./policy-denied";

/** A row standing for every tool of a workspace server (or of the whole workspace). */
const ALL = "__*";
const MAX_NOTICE_DETAIL = 300;

export interface WorkspaceMcpTools {
  tools: ToolSet;
  rows: ChatToolRow[];
  origins: Map<string, ToolOrigin>;
  notices: Notice[];
  /** Tools the policy admitted but the turn's tool cap left out. */
  cut: number;
}

const cap = (text: string) =>
  text.length > MAX_NOTICE_DETAIL ? `${text.slice(0, MAX_NOTICE_DETAIL - 1)}…` : text;

export async function assembleWorkspaceMcpTools(
  db: Executor,
  opts: {
    ownerId: string;
    workspaceId: string | null;
    turn: TurnPolicy;
    /** Names already taken by built-ins and offered admin tools: those win a clash. */
    reserved: ReadonlySet<string>;
    /** List the tools even when the policy hides workspace MCP (the tools explainer). */
    listHidden?: boolean;
    signal?: AbortSignal;
    imageToolResults?: boolean;
    denied: Set<string>;
    onNotice?: (notice: Notice) => void;
    /** How many tools the turn's cap still admits; the rest get `overLimitReason`. */
    maxTools?: number;
    overLimitReason?: string;
  },
): Promise<WorkspaceMcpTools> {
  const out: WorkspaceMcpTools = {
    tools: {},
    rows: [],
    origins: new Map(),
    notices: [],
    cut: 0,
  };
  let budget = opts.maxTools ?? Number.POSITIVE_INFINITY;
  if (!opts.workspaceId) return out;
  // The gate does not depend on the tool's name: decide once whether to ask the agent at all.
  const gate = decide({ source: "workspace_mcp", name: ALL }, opts.turn);
  if (!gate.available && !opts.listHidden) return out;

  const workspace = await findOwnWorkspace(db, opts.ownerId, opts.workspaceId);
  if (!workspace) return out;
  const { row, client } = await runningAgent(db, workspace);
  if (!client) {
    // Found dead on this access: say so once; a workspace the user stopped stays quiet.
    if (workspace.status === "running" && gate.available) {
      out.notices.push({
        code: "mcp.server_unavailable",
        detail: cap(
          `Workspace "${row.name}": its agent was no longer running, so its MCP tools are unavailable. Start the workspace again.`,
        ),
      });
    }
    return out;
  }

  let listing: AgentMcpListing;
  try {
    listing = await client.mcpTools(false, opts.signal);
  } catch (err) {
    if (opts.signal?.aborted) throw err;
    const message = err instanceof AgentRequestError ? err.message : "unexpected error";
    out.notices.push({
      code: "mcp.server_unavailable",
      detail: cap(`Workspace "${row.name}": its MCP servers could not be listed (${message})`),
    });
    out.rows.push({
      name: `workspace${ALL}`,
      source: "workspace_mcp",
      available: false,
      reason: "server_unavailable",
    });
    return out;
  }

  for (const server of listing.servers) {
    if (server.status === "ok") continue;
    if (gate.available) {
      out.notices.push({
        code: "mcp.server_unavailable",
        detail: cap(`Workspace MCP server ${server.name}: ${server.error ?? "not connected"}`),
      });
    }
    out.rows.push({
      name: `${server.name}${ALL}`,
      source: "workspace_mcp",
      available: false,
      reason: "server_unavailable",
    });
  }

  const names = assignExposedNames(
    listing.tools.map((t) => ({ key: t.name, prefix: t.server, name: t.tool_name })),
  );
  const modelOutputs = new Map<string, ReturnType<typeof convertToolResult>["modelOutput"]>();
  for (const tool of listing.tools) {
    const exposed = names.get(tool.name)!;
    if (opts.reserved.has(exposed)) {
      out.rows.push({
        name: exposed,
        source: "workspace_mcp",
        available: false,
        reason: "name_clash",
      });
      continue;
    }
    const decision = decide({ source: "workspace_mcp", name: tool.name }, opts.turn);
    const overLimit = decision.available && budget <= 0;
    out.rows.push({
      name: exposed,
      source: "workspace_mcp",
      available: decision.available && !overLimit,
      reason: overLimit ? (opts.overLimitReason ?? "too_many_tools_in_turn") : decision.reason,
    });
    if (overLimit) out.cut += 1;
    if (!decision.available || overLimit) continue;
    budget -= 1;
    out.origins.set(exposed, { source: "workspace_mcp", toolName: tool.tool_name });
    out.tools[exposed] = dynamicTool({
      metadata: {
        source: "workspace_mcp",
        tool_name: tool.tool_name,
        workspace_server: tool.server,
      },
      description: capDescription(
        `${tool.description || tool.tool_name} (from the workspace's ${tool.server} MCP server)`,
      ),
      inputSchema: jsonSchema(modelFacingSchema(tool.input_schema, false).schema as never),
      execute: async (input, { toolCallId, abortSignal }) => {
        // Asked again at execution (security.md point 2).
        const again = decide({ source: "workspace_mcp", name: tool.name }, opts.turn);
        if (!again.available) {
          const refused = denyCall(opts, {
            toolCallId,
            exposedName: exposed,
            reason: again.reason,
          });
          modelOutputs.set(toolCallId, { type: "error-text", value: refused.text });
          return refused;
        }
        const unwrapped = unwrapToolInput(input, false);
        if (!unwrapped.ok) {
          modelOutputs.set(toolCallId, { type: "error-text", value: unwrapped.error });
          return { is_error: true, text: unwrapped.error };
        }
        const checked = checkToolArguments(tool.input_schema, unwrapped.args);
        if (!checked.ok) {
          const text = invalidArgumentsMessage(exposed, checked.problems);
          modelOutputs.set(toolCallId, { type: "error-text", value: text });
          return { is_error: true, text, code: "tool.invalid_input" };
        }
        const label = `Workspace MCP server ${tool.server}`;
        try {
          // The workspace may have been stopped since the turn began.
          const current = (await findOwnWorkspace(db, opts.ownerId, row.id)) ?? row;
          const { client: agent } = await runningAgent(db, current);
          if (!agent)
            throw new AgentRequestError(
              409,
              "workspace.not_running",
              "The workspace is not running.",
            );
          const result = await agent.callTool(tool.name, unwrapped.args, abortSignal);
          const converted = convertToolResult(result as never, {
            includeImages: opts.imageToolResults ?? false,
          });
          modelOutputs.set(toolCallId, converted.modelOutput);
          return { is_error: converted.isError, ...converted.display };
        } catch (err) {
          if (!(err instanceof AgentRequestError)) throw err;
          const text = `${label}: ${err.message}`;
          modelOutputs.set(toolCallId, { type: "error-text", value: text });
          return { is_error: true, text, code: err.code };
        }
      },
      toModelOutput: ({ toolCallId, output }) =>
        modelOutputs.get(toolCallId) ?? { type: "json", value: (output ?? null) as never },
    });
  }
  return out;
}
