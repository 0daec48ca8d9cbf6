// How the Tools dialog arranges GET /api/chats/:id/tools: MCP servers first (what the user
// picked), then the built-ins in a few named groups with a sentence each for people (the
// model-facing descriptions live with the tools on the server), all filterable by a search.
import type { ChatToolRow } from "@/lib/client/types";
import { humanizeToolName } from "./tool-label";

export type BuiltinGroupId = "workspace" | "lifecycle" | "planning" | "agents" | "other";

export const BUILTIN_GROUPS: { id: BuiltinGroupId; title: string }[] = [
  { id: "workspace", title: "Workspace files and processes" },
  { id: "lifecycle", title: "Workspaces" },
  { id: "planning", title: "Plans and questions" },
  { id: "agents", title: "Sub-agents" },
  { id: "other", title: "Other" },
];

const BUILTINS: Record<string, { group: BuiltinGroupId; description: string }> = {
  read_file: { group: "workspace", description: "Reads a text file in the chat's workspace." },
  write_file: {
    group: "workspace",
    description: "Creates or overwrites a workspace file (in plan mode only the plan file).",
  },
  edit_files: {
    group: "workspace",
    description: "Replaces exact text in workspace files (in plan mode only the plan file).",
  },
  execute: {
    group: "workspace",
    description: "Runs a shell command in the workspace (sandboxed and offline in plan mode).",
  },
  process_output: {
    group: "workspace",
    description: "Shows the status and output of a command started in the workspace.",
  },
  process_list: { group: "workspace", description: "Lists the workspace's recent processes." },
  process_signal: { group: "workspace", description: "Stops a process in the workspace." },
  list_templates: { group: "lifecycle", description: "Lists the templates for new workspaces." },
  read_template: { group: "lifecycle", description: "Shows a workspace template's files." },
  create_workspace: {
    group: "lifecycle",
    description: "Creates a workspace from a template and attaches it to this chat.",
  },
  start_workspace: { group: "lifecycle", description: "Starts this chat's workspace." },
  stop_workspace: {
    group: "lifecycle",
    description: "Stops this chat's workspace and its processes; files are kept.",
  },
  propose_plan: {
    group: "planning",
    description: "Shows you the plan file for review, with a button to implement it.",
  },
  ask_user_question: {
    group: "planning",
    description: "Asks you multiple-choice questions when a decision is yours.",
  },
  spawn_agent: {
    group: "agents",
    description: "Starts a sub-agent that works on a delegated task in its own chat.",
  },
  spawn_explore_agent: {
    group: "agents",
    description: "Starts a read-only sub-agent that investigates and reports back.",
  },
  wait_agent: { group: "agents", description: "Waits for a sub-agent's report." },
  message_agent: { group: "agents", description: "Sends a follow-up task to an idle sub-agent." },
  close_agent: { group: "agents", description: "Stops a sub-agent's current work." },
  list_agents: { group: "agents", description: "Lists this chat's sub-agents." },
};

export const builtinDescription = (name: string) => BUILTINS[name]?.description ?? "";
export const builtinGroup = (name: string): BuiltinGroupId => BUILTINS[name]?.group ?? "other";

// The longest name a model accepts; longer MCP names are cut and get `_<hex>` (lib/mcp).
const MAX_EXPOSED = 64;
const HASH_SUFFIX = /_[0-9a-f]{6,32}$/;

/**
 * A tool's name for people: `<slug>__*` means the whole server; a name that had to be cut to
 * the model's limit loses its hash suffix and says it was shortened, rather than ending in hex.
 */
export function toolDisplayName(name: string): { label: string; shortened: boolean } {
  if (name.endsWith("__*")) return { label: "All tools", shortened: false };
  if (name.length === MAX_EXPOSED && HASH_SUFFIX.test(name)) {
    return { label: `${humanizeToolName(name.replace(HASH_SUFFIX, ""))}…`, shortened: true };
  }
  return { label: humanizeToolName(name), shortened: false };
}

const fold = (s: string) => s.toLowerCase().replace(/[_\-.]+/g, " ");

/** Rows whose name, label or description contain every word of the query. */
export function matchTools(rows: readonly ChatToolRow[], query: string): ChatToolRow[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...rows];
  return rows.filter((row) => {
    const hay = fold(
      `${row.name} ${toolDisplayName(row.name).label} ${row.source === "builtin" ? builtinDescription(row.name) : ""}`,
    );
    return words.every((w) => hay.includes(w));
  });
}

/** Available first, then by name. */
export const byAvailability = (a: ChatToolRow, b: ChatToolRow) =>
  Number(b.available) - Number(a.available) || a.name.localeCompare(b.name);

export interface ToolSections {
  /** One per admin server (by id) and one for the workspace's own servers ("workspace"). */
  servers: { id: string; rows: ChatToolRow[] }[];
  builtins: { id: BuiltinGroupId; title: string; rows: ChatToolRow[] }[];
}

export const WORKSPACE_SERVERS = "workspace";

/** Splits the rows into server sections (with any available tool first) and built-in groups. */
export function toolSections(
  rows: readonly ChatToolRow[],
  serverName: (id: string) => string,
): ToolSections {
  const servers = new Map<string, ChatToolRow[]>();
  const builtins = new Map<BuiltinGroupId, ChatToolRow[]>();
  for (const row of rows) {
    if (row.source === "builtin") {
      const group = builtinGroup(row.name);
      builtins.set(group, [...(builtins.get(group) ?? []), row]);
    } else {
      const key = row.source === "workspace_mcp" ? WORKSPACE_SERVERS : (row.server_id ?? "");
      servers.set(key, [...(servers.get(key) ?? []), row]);
    }
  }
  return {
    servers: [...servers.entries()]
      .map(([id, list]) => ({ id, rows: list.sort(byAvailability) }))
      .sort(
        (a, b) =>
          Number(b.rows.some((r) => r.available)) - Number(a.rows.some((r) => r.available)) ||
          serverName(a.id).localeCompare(serverName(b.id)),
      ),
    builtins: BUILTIN_GROUPS.flatMap((g) => {
      const list = builtins.get(g.id);
      return list ? [{ ...g, rows: list.sort(byAvailability) }] : [];
    }),
  };
}
