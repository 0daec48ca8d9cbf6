import "server-only";
// The workspace's own MCP servers (`.mcp.json`, discovered and proxied by its agent) as tools
// of a turn. Only when the policy admits workspace MCP for the turn (never in plan mode, never
// for explore agents) is the agent asked at all; the tools explainer lists them regardless,
// with the policy's reason. Names are `<server>__<tool>`, sanitised like admin tools; a name a
// built-in or an offered admin tool already holds is lost (`name_clash`). The admin's
// workspace-server rule (off / on / allowlist) is read for the turn and again at every call;
// a call names the server config it was decided on, so a `.mcp.json` edited in between (a new
// command under an allowed name) is refused by the agent rather than run.
import type { ToolSet } from "ai";
import type { Executor } from "@/db/client";
import { findOwnWorkspace } from "@/db/queries/workspaces";
import type { ChatToolRow } from "@/lib/chat/wire";
import { assignExposedNames } from "@/lib/mcp/tool-names";
import type { ToolReason } from "@/lib/policy/reasons";
import { decideWorkspaceMcp, type TurnPolicy } from "@/lib/policy/tool-policy";
import { workspaceMcpRule } from "@/lib/settings/workspace-mcp";
import { AgentRequestError, type AgentMcpListing } from "@/lib/workspace/agent-client";
import { runningAgent } from "@/lib/workspace/service";
import type { Notice } from "../mcp-notices";
import type { ToolOrigin } from "../parts";
import { mcpTool, type McpCallContext } from "./mcp-tool";

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
    callContext: McpCallContext;
    /** How many tools the turn's cap still admits; the rest get `overLimitReason`. */
    maxTools?: number;
    overLimitReason?: ToolReason;
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
  const rule = await workspaceMcpRule(db);
  const gate = decideWorkspaceMcp(opts.turn, rule);
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

  const serversByName = new Map(listing.servers.map((s) => [s.name, s]));
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
    const server = serversByName.get(tool.server);
    const decision = decideWorkspaceMcp(opts.turn, rule, { launch: server?.launch });
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
    const label = `Workspace MCP server ${tool.server}`;
    out.tools[exposed] = mcpTool(opts.callContext, {
      exposed,
      metadata: {
        source: "workspace_mcp",
        tool_name: tool.tool_name,
        workspace_server: tool.server,
      },
      description: `${tool.description || tool.tool_name} (from the workspace's ${tool.server} MCP server)`,
      inputSchema: tool.input_schema,
      modelIntent: false,
      // Audited as `<server>__<tool>`: the workspace's server name is part of the identity.
      about: { source: "workspace_mcp", toolName: tool.name },
      recheck: async () => {
        const again = decideWorkspaceMcp(opts.turn, await workspaceMcpRule(db), {
          launch: server?.launch,
        });
        return again.available ? { ok: true } : { ok: false, reason: again.reason };
      },
      call: async (args, signal) => {
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
          const result = await agent.callTool(tool.name, args, signal, server?.fingerprint);
          return { ok: true, result: result as never };
        } catch (err) {
          if (!(err instanceof AgentRequestError)) throw err;
          return { ok: false, text: `${label}: ${err.message}`, code: err.code };
        }
      },
    });
  }
  return out;
}
