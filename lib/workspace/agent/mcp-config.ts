// `.mcp.json` in Claude Code's format, read from the workspace directory and turned into
// server configs. Problems are reported per server (or for the whole file), never thrown.
import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import { z } from "zod";
import { AgentError } from "./http";
import { parseJsonFirstWins } from "./json-first-wins";
import type { WorkspaceRoot } from "./paths";

export const MCP_CONFIG_FILE = ".mcp.json";
const MAX_CONFIG_BYTES = 1024 * 1024;
/** Never expanded into a server's config, whatever the agent's environment holds. */
const NEVER_EXPANDED = new Set(["TOOLGATE_AGENT_TOKEN"]);

/** process.env or a plain map (tests); NODE_ENV is not required. */
export type EnvLike = Record<string, string | undefined>;

export type McpTransport = "stdio" | "http" | "sse";

export type ServerConfig =
  | {
      name: string;
      transport: "stdio";
      command: string;
      args: string[];
      env: Record<string, string>;
    }
  | { name: string; transport: "http" | "sse"; url: string; headers: Record<string, string> };

export interface InvalidServer {
  name: string;
  transport: McpTransport | "unknown";
  error: string;
}

export interface McpConfig {
  status: "ok" | "missing" | "error";
  error?: string;
  /** Duplicate names and similar things that did not stop anything. */
  warnings: string[];
  servers: ServerConfig[];
  invalid: InvalidServer[];
  /** Hash of the file content; equal hashes mean nothing to reconcile. */
  hash: string;
}

const entrySchema = z.object({
  type: z.enum(["stdio", "http", "sse", "streamable-http"]).optional(),
  command: z.string().min(1).optional(),
  args: z.array(z.string()).optional(),
  env: z.record(z.string(), z.string()).optional(),
  url: z.string().min(1).optional(),
  headers: z.record(z.string(), z.string()).optional(),
});

/** Server names become tool-name prefixes `<server>__<tool>`, so they must split cleanly. */
export function serverNameProblem(name: string): string | undefined {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(name)) {
    return "server names may only use letters, digits, '_' and '-' (at most 64)";
  }
  if (name.includes("__"))
    return "server names must not contain '__' (it separates server and tool)";
  if (name.startsWith("_") || name.endsWith("_")) {
    return "server names must not start or end with '_'";
  }
  return undefined;
}

/** `${VAR}` and `${VAR:-default}`, from the agent's own environment only. */
export function expandVars(value: string, env: EnvLike, missing: Set<string>): string {
  return value.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g,
    (_all, name: string, fallback: string | undefined) => {
      const found = NEVER_EXPANDED.has(name) ? undefined : env[name];
      if (found !== undefined && found !== "") return found;
      if (fallback !== undefined) return fallback;
      if (found === "") return "";
      missing.add(name);
      return "";
    },
  );
}

const mapValues = (
  record: Record<string, string> | undefined,
  fn: (v: string) => string,
): Record<string, string> =>
  Object.fromEntries(Object.entries(record ?? {}).map(([k, v]) => [k, fn(v)]));

function resolveEntry(name: string, raw: unknown, env: EnvLike): ServerConfig | InvalidServer {
  const parsed = entrySchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join(".")}: ` : "";
    return {
      name,
      transport: "unknown",
      error: `invalid entry: ${where}${issue?.message ?? "not an object"}`,
    };
  }
  const entry = parsed.data;
  const transport: McpTransport | undefined =
    entry.type === "streamable-http"
      ? "http"
      : (entry.type ?? (entry.command ? "stdio" : entry.url ? "http" : undefined));
  if (transport === undefined) {
    return {
      name,
      transport: "unknown",
      error: "the entry needs a command (stdio) or a url (http)",
    };
  }
  const nameProblem = serverNameProblem(name);
  if (nameProblem) return { name, transport, error: nameProblem };

  const missing = new Set<string>();
  const expand = (v: string) => expandVars(v, env, missing);
  let config: ServerConfig;
  if (transport === "stdio") {
    if (!entry.command) return { name, transport, error: "a stdio server needs a command" };
    config = {
      name,
      transport,
      command: expand(entry.command),
      args: (entry.args ?? []).map(expand),
      env: mapValues(entry.env, expand),
    };
  } else {
    if (!entry.url) return { name, transport, error: `an ${transport} server needs a url` };
    const url = expand(entry.url);
    config = { name, transport, url, headers: mapValues(entry.headers, expand) };
    if (missing.size === 0 && !/^https?:\/\//i.test(url)) {
      return { name, transport, error: "url must be an http(s) URL" };
    }
    if (missing.size === 0 && !URL.canParse(url))
      return { name, transport, error: "url is not a valid URL" };
  }
  if (missing.size > 0) {
    const names = [...missing].join(", ");
    return {
      name,
      transport,
      error: `environment variable ${names} is not set (and has no default)`,
    };
  }
  return config;
}

export function parseMcpConfig(text: string, env: EnvLike): McpConfig {
  const hash = createHash("sha256").update(text).digest("hex");
  const base = { warnings: [] as string[], servers: [], invalid: [], hash };
  let parsed;
  try {
    parsed = parseJsonFirstWins(text.replace(/^\uFEFF/, ""));
  } catch (err) {
    return {
      ...base,
      status: "error",
      error: `${MCP_CONFIG_FILE} is not valid JSON: ${(err as Error).message}`,
    };
  }
  const root = parsed.value;
  const servers =
    typeof root === "object" && root !== null && !Array.isArray(root)
      ? (root as Record<string, unknown>).mcpServers
      : undefined;
  if (typeof servers !== "object" || servers === null || Array.isArray(servers)) {
    return { ...base, status: "error", error: `${MCP_CONFIG_FILE} needs an "mcpServers" object` };
  }
  const result: McpConfig = { ...base, status: "ok", servers: [], invalid: [] };
  for (const dup of parsed.duplicates) {
    const match = /^\/mcpServers\/([^/]+)$/.exec(dup);
    result.warnings.push(
      match
        ? `server "${match[1]}" is defined more than once; the first definition is used`
        : `duplicate key ${dup}; the first is used`,
    );
  }
  for (const [name, raw] of Object.entries(servers as Record<string, unknown>)) {
    const resolved = resolveEntry(name, raw, env);
    if ("error" in resolved) result.invalid.push(resolved);
    else result.servers.push(resolved);
  }
  return result;
}

export interface ConfigFileState {
  /** mtime, size and inode of the file, or "missing"; cheap to compare on each request. */
  signature: string;
  config: McpConfig;
}

export async function statSignature(root: WorkspaceRoot): Promise<string> {
  try {
    const stat = await fs.stat(`${root.root}/${MCP_CONFIG_FILE}`);
    return `${stat.mtimeMs}:${stat.size}:${stat.ino}`;
  } catch {
    return "missing";
  }
}

export async function readMcpConfig(root: WorkspaceRoot, env: EnvLike): Promise<ConfigFileState> {
  const signature = await statSignature(root);
  const empty = { warnings: [], servers: [], invalid: [] };
  let file;
  try {
    file = await root.resolveExisting(MCP_CONFIG_FILE);
  } catch (err) {
    if (err instanceof AgentError && err.status === 404) {
      return { signature, config: { ...empty, status: "missing", hash: "missing" } };
    }
    const message = err instanceof AgentError ? err.message : String(err);
    return { signature, config: { ...empty, status: "error", error: message, hash: signature } };
  }
  if (!file.stat.isFile() || file.stat.size > MAX_CONFIG_BYTES) {
    const error = `${MCP_CONFIG_FILE} must be a regular file of at most ${MAX_CONFIG_BYTES} bytes`;
    return { signature, config: { ...empty, status: "error", error, hash: signature } };
  }
  const text = await fs.readFile(file.abs, "utf8");
  return { signature, config: parseMcpConfig(text, env) };
}
