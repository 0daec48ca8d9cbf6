// The admin's rule for workspace `.mcp.json` servers: off, on, or only the servers an
// allowlist names. Pure: the policy (tool-policy.ts) asks it with what the workspace agent
// reports about each server (its command line, or its URL). Matching, chosen to be easy to
// predict and hard to slip past (README, "Workspace MCP servers"):
//
// - stdio: an entry is a command line, words separated by spaces ("npx -y @scope/server").
//   The server matches when its command equals the entry's first word exactly and its args
//   start with the entry's other words, each exactly. No globbing, no basename matching
//   ("/tmp/npx" is not "npx"). A bare command (no "/") is looked up on PATH, so an entry with a
//   bare command never matches a server whose `env` sets PATH.
// - HTTP/SSE: an entry is a URL prefix. The server's URL must have the entry's origin
//   (scheme, host, port after URL normalisation) and a path equal to the entry's path or below
//   it at a "/" boundary ("/mcp" admits "/mcp" and "/mcp/x", not "/mcpx"). Query and fragment
//   of the server URL do not matter; an entry carries none.

export type WorkspaceMcpMode = "off" | "on" | "allowlist";

export interface WorkspaceMcpRule {
  mode: WorkspaceMcpMode;
  /** stdio command lines (allowlist mode). */
  commands: readonly string[];
  /** HTTP/SSE URL prefixes (allowlist mode). */
  urlPrefixes: readonly string[];
}

/** How a workspace server is reached, as its agent reports it. */
export type WorkspaceServerLaunch =
  | { transport: "stdio"; command: string; args: readonly string[]; sets_path: boolean }
  | { transport: "http" | "sse"; url: string };

export const WORKSPACE_MCP_ON: WorkspaceMcpRule = { mode: "on", commands: [], urlPrefixes: [] };

export const commandWords = (entry: string): string[] => entry.trim().split(/\s+/).filter(Boolean);

/** Why an allowlist entry is unusable, or undefined when it is fine (shared with the schema). */
export function urlPrefixProblem(entry: string): string | undefined {
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    return "must be an absolute http(s) URL";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return "must be an http(s) URL";
  if (url.username || url.password) return "must not contain a user name or password";
  if (url.search || url.hash || entry.includes("?") || entry.includes("#")) {
    return "must not contain a query or fragment";
  }
  return undefined;
}

function commandMatches(entry: string, launch: WorkspaceServerLaunch & { transport: "stdio" }) {
  const [command, ...args] = commandWords(entry);
  if (command === undefined || command !== launch.command) return false;
  if (!command.includes("/") && launch.sets_path) return false;
  if (launch.args.length < args.length) return false;
  return args.every((word, i) => launch.args[i] === word);
}

function urlMatches(entry: string, serverUrl: string): boolean {
  if (urlPrefixProblem(entry) !== undefined) return false;
  let prefix: URL;
  let server: URL;
  try {
    prefix = new URL(entry);
    server = new URL(serverUrl);
  } catch {
    return false;
  }
  if (server.origin !== prefix.origin || server.username || server.password) return false;
  const base = prefix.pathname;
  if (base === "/" || server.pathname === base) return true;
  const withSlash = base.endsWith("/") ? base : `${base}/`;
  return server.pathname.startsWith(withSlash);
}

export type WorkspaceRuleOutcome = "allowed" | "workspace_mcp_off" | "workspace_mcp_not_allowed";

/**
 * The rule's answer for one server; without `launch` (asked before the agent is, or an agent
 * that does not report it) only "on" admits and an allowlist does not.
 */
export function matchWorkspaceServer(
  rule: WorkspaceMcpRule,
  launch: WorkspaceServerLaunch | undefined,
): WorkspaceRuleOutcome {
  if (rule.mode === "off") return "workspace_mcp_off";
  if (rule.mode === "on") return "allowed";
  if (!launch) return "workspace_mcp_not_allowed";
  const admitted =
    launch.transport === "stdio"
      ? rule.commands.some((entry) => commandMatches(entry, launch))
      : rule.urlPrefixes.some((entry) => urlMatches(entry, launch.url));
  return admitted ? "allowed" : "workspace_mcp_not_allowed";
}

/** The command line or URL, as the workspace dialog shows a blocked server. */
export function launchText(launch: WorkspaceServerLaunch): string {
  if (launch.transport !== "stdio") return launch.url;
  const words = [launch.command, ...launch.args].join(" ");
  return launch.sets_path ? `${words} (with its own PATH)` : words;
}
