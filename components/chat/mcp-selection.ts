// Which MCP servers a chat uses, as the picker shows them. The selection holds only the user's
// own choices: force_on servers take part in every turn anyway (the server adds them), so they
// are shown checked and locked and never stored.
import type { McpServerConfig } from "@/lib/client/types";

const AVAILABILITY_ORDER = { force_on: 0, default_on: 1, default_off: 2 } as const;

/** Enabled servers, always-on first, then by name. */
export function pickableServers(servers: readonly McpServerConfig[]): McpServerConfig[] {
  return servers
    .filter((s) => s.enabled)
    .sort(
      (a, b) =>
        AVAILABILITY_ORDER[a.availability] - AVAILABILITY_ORDER[b.availability] ||
        a.display_name.localeCompare(b.display_name),
    );
}

/**
 * The starting selection: a new chat (`chatServerIds` undefined) gets the default_on servers;
 * an existing one keeps its ids that are still pickable.
 */
export function initialSelection(
  servers: readonly McpServerConfig[],
  chatServerIds?: readonly string[],
): string[] {
  const pickable = pickableServers(servers).filter((s) => s.availability !== "force_on");
  if (chatServerIds === undefined) {
    return pickable.filter((s) => s.availability === "default_on").map((s) => s.id);
  }
  const ids = new Set(chatServerIds);
  return pickable.filter((s) => ids.has(s.id)).map((s) => s.id);
}

export const isServerOn = (server: McpServerConfig, selection: readonly string[]) =>
  server.availability === "force_on" || selection.includes(server.id);

export function toggleServer(
  selection: readonly string[],
  server: McpServerConfig,
  on: boolean,
): string[] {
  if (server.availability === "force_on") return [...selection];
  const rest = selection.filter((id) => id !== server.id);
  return on ? [...rest, server.id] : rest;
}

export function sameSelection(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((id) => set.has(id));
}

/** How many servers the next turn uses (always-on ones included). */
export const activeServerCount = (
  servers: readonly McpServerConfig[],
  selection: readonly string[],
) => pickableServers(servers).filter((s) => isServerOn(s, selection)).length;

/** The badge a server needs when the user has not connected the account it asks for. */
export function authBadge(server: McpServerConfig): string | null {
  if (server.auth_connected) return null;
  return server.auth_type === "user_oidc" ? "Sign in with OIDC" : "Needs connection";
}

/**
 * In plan mode, the servers on for the next turn split by `allow_in_plan_mode`: the plan turn
 * uses the approved ones (narrowed to `plan_mode_tools` when that is a list) and pauses the rest.
 */
export function planModeServers(
  servers: readonly McpServerConfig[],
  selection: readonly string[],
): { used: McpServerConfig[]; paused: McpServerConfig[] } {
  const on = pickableServers(servers).filter((s) => isServerOn(s, selection));
  return {
    used: on.filter((s) => s.allow_in_plan_mode),
    paused: on.filter((s) => !s.allow_in_plan_mode),
  };
}

/** The sentence the composer shows in plan mode: which servers the plan turn will use. */
export function planServersSentence(
  servers: readonly McpServerConfig[],
  selection: readonly string[],
): string {
  const { used, paused } = planModeServers(servers, selection);
  const names = (list: McpServerConfig[]) => list.map((s) => s.display_name).join(", ");
  const usedText =
    used.length === 0 ? "The plan turn uses no MCP server." : `The plan turn uses ${names(used)}.`;
  return paused.length === 0
    ? usedText
    : `${usedText} Paused while planning (not approved by an admin): ${names(paused)}.`;
}
