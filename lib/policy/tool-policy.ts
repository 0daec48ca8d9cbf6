// The tool policy: one pure function deciding whether a candidate tool may be offered to the
// model and called in a given turn. It is used when building the offered tool set, again when
// a call is executed, by GET /api/chats/:id/tools and by the admin tool preview, and must not
// be re-implemented anywhere else. No I/O here.
import type { ToolRule, ToolStatus } from "@/db/enums";
import {
  matchWorkspaceServer,
  WORKSPACE_MCP_ON,
  type WorkspaceMcpRule,
  type WorkspaceServerLaunch,
} from "./workspace-mcp-rule";

export type ToolSource = "builtin" | "mcp" | "workspace_mcp";
export type AgentKind = "root" | "subagent" | "explore";

/** The admin's decisions on one catalogued tool (the server's tool catalogue). */
export interface ToolGovernance {
  status: ToolStatus;
  rule: ToolRule;
  planMode: boolean;
}

/** The parts of an MCP server config the policy reads. */
export interface ServerPolicy {
  id: string;
  enabled: boolean;
  availability: "force_on" | "default_on" | "default_off";
  toolAllowList: readonly string[];
  toolDenyList: readonly string[];
  allowInPlanMode: boolean;
  /** The derived view of the catalogue's plan-mode flags; decides for an uncatalogued tool. */
  planModeTools: readonly string[] | null;
  /** The rule of a tool the catalogue has not recorded yet. */
  toolDefault: ToolRule;
  /** The server's catalogue by tool name; a tool missing from it is judged as first seen. */
  tools: ReadonlyMap<string, ToolGovernance>;
}

export type ToolCandidate =
  | { source: "builtin"; name: string }
  | { source: "mcp"; name: string; server: ServerPolicy }
  | {
      source: "workspace_mcp";
      name: string;
      rule?: WorkspaceMcpRule;
      launch?: WorkspaceServerLaunch;
    };

export interface TurnPolicy {
  planMode: boolean;
  agent: AgentKind;
  /** Servers the chat selected for this turn; force_on servers take part regardless. */
  selectedServerIds: ReadonlySet<string>;
  /**
   * Whether the chat has a workspace: without one its file, process and workspace MCP tools
   * are not offered. Absent when not known (an admin's preview of a server; a sub-agent, whose
   * parent may have attached one after spawning it).
   */
  hasWorkspace?: boolean;
}

export type PolicyReason =
  | "allowed"
  | "server_disabled"
  | "server_not_selected"
  | "denied_by_deny_list"
  | "not_in_allow_list"
  | "plan_mode_server_not_approved"
  | "plan_mode_tool_not_approved"
  | "plan_mode_no_workspace_mcp"
  | "subagent_no_mcp"
  | "explore_no_workspace_mcp"
  | "workspace_mcp_off"
  | "workspace_mcp_not_allowed"
  | "builtin_not_in_plan_mode"
  | "builtin_not_for_subagents"
  | "builtin_plan_mode_only"
  | "tool_definition_changed"
  | "tool_removed"
  | "tool_disabled"
  | "no_workspace";

export interface PolicyDecision {
  available: boolean;
  reason: PolicyReason;
  /** Offered, but every call waits for a person's approval (rule "approval"). */
  needsApproval?: true;
}

const ALLOW: PolicyDecision = { available: true, reason: "allowed" };
const deny = (reason: PolicyReason): PolicyDecision => ({ available: false, reason });

/** Built-ins a root plan-mode turn may use (the seeds' plan allowlist). */
export const PLAN_MODE_ROOT_BUILTINS: ReadonlySet<string> = new Set([
  "read_file",
  "execute",
  "process_output",
  // Restricted to the chat's plan file when executed in plan mode.
  "write_file",
  "edit_files",
  "list_templates",
  "read_template",
  "create_workspace",
  "start_workspace",
  "stop_workspace",
  "spawn_agent",
  "spawn_explore_agent",
  "wait_agent",
  "list_agents",
  "propose_plan",
  "ask_user_question",
]);

/** Built-ins a plan-mode sub-agent (and an explore agent) may use: read and inspect only. */
export const READ_ONLY_BUILTINS: ReadonlySet<string> = new Set([
  "read_file",
  "execute",
  "process_output",
]);

/** Built-ins only a root agent may use: sub-agents do not manage agents or talk to the user. */
const ROOT_ONLY_BUILTINS: ReadonlySet<string> = new Set([
  "spawn_agent",
  "spawn_explore_agent",
  "wait_agent",
  "message_agent",
  "close_agent",
  "list_agents",
  "propose_plan",
  "ask_user_question",
]);

/** Built-ins that only work in the chat's workspace: not offered while it has none. */
export const WORKSPACE_BOUND_BUILTINS: ReadonlySet<string> = new Set([
  "read_file",
  "write_file",
  "edit_files",
  "execute",
  "process_output",
  "process_list",
  "process_signal",
  "start_workspace",
  "stop_workspace",
]);

function decideBuiltin(name: string, turn: TurnPolicy): PolicyDecision {
  const decision = decideBuiltinByAgent(name, turn);
  if (decision.available && turn.hasWorkspace === false && WORKSPACE_BOUND_BUILTINS.has(name)) {
    return deny("no_workspace");
  }
  return decision;
}

function decideBuiltinByAgent(name: string, turn: TurnPolicy): PolicyDecision {
  if (turn.agent === "explore" || (turn.planMode && turn.agent === "subagent")) {
    return READ_ONLY_BUILTINS.has(name) ? ALLOW : deny("builtin_not_for_subagents");
  }
  if (turn.agent === "subagent" && ROOT_ONLY_BUILTINS.has(name))
    return deny("builtin_not_for_subagents");
  if (turn.planMode)
    return PLAN_MODE_ROOT_BUILTINS.has(name) ? ALLOW : deny("builtin_not_in_plan_mode");
  if (name === "propose_plan") return deny("builtin_plan_mode_only");
  return ALLOW;
}

/**
 * Whether a server may take part in the turn at all, before any tool is known: asked before its
 * credentials are refreshed and before it is dialled, so a server the turn can never use costs
 * no request (docs/architecture.md, "The policy"). These are the server-level steps of the
 * precedence below, in the same order relative to each other; the per-tool steps (deny list,
 * allow list, plan_mode_tools) come after, in `decide`.
 */
export function decideServer(server: ServerPolicy, turn: TurnPolicy): PolicyDecision {
  if (!server.enabled) return deny("server_disabled");
  if (server.availability !== "force_on" && !turn.selectedServerIds.has(server.id)) {
    return deny("server_not_selected");
  }
  // A plan-mode sub-agent sits on the narrowest boundary: no external MCP at all. An explore
  // agent gets the parent's turn-filtered snapshot, so it goes through the same rules below.
  if (turn.agent === "subagent" && turn.planMode) return deny("subagent_no_mcp");
  if (turn.planMode && !server.allowInPlanMode) return deny("plan_mode_server_not_approved");
  return ALLOW;
}

/**
 * How the catalogue governs a tool: its recorded entry, or for a tool the catalogue has not
 * recorded yet (listed after the last bookkeeping) what first sight would give it: the
 * server's default rule and the plan-mode view of `plan_mode_tools` (null = every tool).
 */
export function governanceOf(name: string, server: ServerPolicy): ToolGovernance {
  return (
    server.tools.get(name) ?? {
      status: "active",
      rule: server.toolDefault,
      planMode: server.planModeTools === null || server.planModeTools.includes(name),
    }
  );
}

/**
 * Precedence for MCP tools (docs/architecture.md, "The policy"): enabled → availability / chat
 * selection → deny list (deny always wins) → allow list (empty = all) → catalogue status
 * (changed and removed tools are held) → rule "disabled" → plan mode (allow_in_plan_mode and the
 * tool's own plan-mode flag) → rule "approval" (offered, every call waits for a person). Plan
 * mode is an additional requirement, never a way in.
 */
function decideMcp(name: string, server: ServerPolicy, turn: TurnPolicy): PolicyDecision {
  if (!server.enabled) return deny("server_disabled");
  if (server.availability !== "force_on" && !turn.selectedServerIds.has(server.id)) {
    return deny("server_not_selected");
  }
  if (server.toolDenyList.includes(name)) return deny("denied_by_deny_list");
  if (server.toolAllowList.length > 0 && !server.toolAllowList.includes(name)) {
    return deny("not_in_allow_list");
  }
  const tool = governanceOf(name, server);
  if (tool.status === "changed") return deny("tool_definition_changed");
  if (tool.status === "removed") return deny("tool_removed");
  if (tool.rule === "disabled") return deny("tool_disabled");
  const serverLevel = decideServer(server, turn);
  if (!serverLevel.available) return serverLevel;
  if (turn.planMode && !tool.planMode) return deny("plan_mode_tool_not_approved");
  return tool.rule === "approval" ? { ...ALLOW, needsApproval: true } : ALLOW;
}

export function decide(candidate: ToolCandidate, turn: TurnPolicy): PolicyDecision {
  switch (candidate.source) {
    case "builtin":
      return decideBuiltin(candidate.name, turn);
    case "mcp":
      return decideMcp(candidate.name, candidate.server, turn);
    case "workspace_mcp":
      return decideWorkspaceMcp(turn, candidate.rule, { launch: candidate.launch });
  }
}

/**
 * Workspace .mcp.json servers: never while planning, never for explore agents, then the
 * admin's workspace-server rule (workspace-mcp-rule.ts). Without `server` this is the gate
 * asked before the workspace's agent is (only "off" can refuse then); with it, the answer for
 * that server, from what its agent reports about how it is reached.
 */
export function decideWorkspaceMcp(
  turn: TurnPolicy,
  rule: WorkspaceMcpRule = WORKSPACE_MCP_ON,
  server?: { launch: WorkspaceServerLaunch | undefined },
): PolicyDecision {
  if (turn.planMode) return deny("plan_mode_no_workspace_mcp");
  if (turn.agent === "explore") return deny("explore_no_workspace_mcp");
  if (turn.hasWorkspace === false) return deny("no_workspace");
  if (rule.mode === "off") return deny("workspace_mcp_off");
  if (!server) return ALLOW;
  const outcome = matchWorkspaceServer(rule, server.launch);
  return outcome === "allowed" ? ALLOW : deny(outcome);
}

/** Human sentences for reason codes, for the admin preview and the tools explainer. */
export const REASON_TEXT: Record<PolicyReason, string> = {
  allowed: "Available",
  server_disabled: "The server is disabled",
  server_not_selected: "The server is not selected in this chat",
  denied_by_deny_list: "Listed in the server's tool deny list",
  not_in_allow_list: "Not in the server's tool allow list",
  plan_mode_server_not_approved: "The server is not approved for plan mode",
  plan_mode_tool_not_approved: "Not approved for plan mode by an admin",
  plan_mode_no_workspace_mcp: "Workspace MCP tools are never available in plan mode",
  subagent_no_mcp: "Plan-mode sub-agents cannot use MCP tools",
  explore_no_workspace_mcp: "Explore agents cannot use workspace MCP tools",
  workspace_mcp_off: "An admin turned off workspace MCP servers",
  workspace_mcp_not_allowed: "The server's command or URL is not on the admin's allowlist",
  builtin_not_in_plan_mode: "Not available in plan mode",
  builtin_not_for_subagents: "Not available to sub-agents",
  builtin_plan_mode_only: "Only available in plan mode",
  tool_definition_changed: "The server changed this tool; an admin must review the change",
  tool_removed: "The server no longer lists this tool",
  tool_disabled: "An admin disabled this tool",
  no_workspace: "Offered once the chat has a workspace (the model can create one)",
};
