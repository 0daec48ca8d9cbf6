// The workspace's own MCP servers (`.mcp.json`): connected once, tool lists cached, the file
// watched (fs.watch plus an mtime check on each request) and reconciled without a restart.
// A server that fails is reported with its error and skipped; it never blocks the others.
import { createHash } from "node:crypto";
import { watch, type FSWatcher } from "node:fs";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import {
  ToolListChangedNotificationSchema,
  type CallToolResult,
  type Tool,
} from "@modelcontextprotocol/sdk/types.js";
import { AgentError } from "./http";
import {
  MCP_CONFIG_FILE,
  readMcpConfig,
  statSignature,
  type ConfigFileState,
  type EnvLike,
  type McpTransport,
  type ServerConfig,
} from "./mcp-config";
import type { WorkspaceRoot } from "./paths";
import type { WorkspaceSandbox } from "../sandbox/sandbox";
import type { GroupRegistry } from "./process-groups";
import { GroupStdioTransport } from "./stdio-transport";

/** 10 s to connect, 60 s per tool call (docs/security.md, point 8). */
export const CONNECT_TIMEOUT_MS = 10_000;
export const CALL_TIMEOUT_MS = 60_000;
const MAX_TOOLS_PER_SERVER = 500;

interface Connection {
  config: ServerConfig;
  fingerprint: string;
  status: "connecting" | "ok" | "error";
  error?: string;
  client?: Client;
  transport?: Transport;
  tools: Tool[];
  ready: Promise<void>;
  closed: boolean;
}

export interface McpServerStatus {
  name: string;
  transport: McpTransport | "unknown";
  status: "ok" | "error";
  error?: string;
  tools_count: number;
  /** Process id of a running stdio server. */
  pid?: number;
  /**
   * How the server is reached, for the admin's workspace-server rule (decided by toolgate,
   * not here): the command line of a stdio server (never its env values, only whether it sets
   * PATH, which changes what a bare command runs), or the URL of an HTTP/SSE server (never
   * its headers).
   */
  launch?:
    | { transport: "stdio"; command: string; args: string[]; sets_path: boolean }
    | { transport: "http" | "sse"; url: string };
  /** Hash of the whole server config: a call naming an older one is refused (409). */
  fingerprint?: string;
}

export interface McpToolListing {
  config: { path: string; status: "ok" | "missing" | "error"; error?: string; warnings: string[] };
  servers: McpServerStatus[];
  tools: Array<{
    name: string;
    server: string;
    tool_name: string;
    description: string;
    input_schema: Tool["inputSchema"];
    annotations: NonNullable<Tool["annotations"]> | Record<string, never>;
  }>;
}

function describeError(err: unknown, transport: Transport | undefined): string {
  const e = err as NodeJS.ErrnoException;
  let message =
    e?.code === "ENOENT" && e.syscall?.startsWith("spawn")
      ? `could not start ${e.path}: command not found`
      : (e?.message ?? String(err));
  if (transport instanceof GroupStdioTransport) {
    if (transport.exitDescription) message += ` (the server ${transport.exitDescription})`;
    const stderr = transport.stderr().trim();
    if (stderr) message += `; stderr: ${stderr.slice(-500)}`;
  }
  return message;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function launchOf(config: ServerConfig): NonNullable<McpServerStatus["launch"]> {
  return config.transport === "stdio"
    ? {
        transport: "stdio",
        command: config.command,
        args: config.args,
        sets_path: Object.keys(config.env).some((k) => k.toUpperCase() === "PATH"),
      }
    : { transport: config.transport, url: config.url };
}

export class McpManager {
  private readonly connections = new Map<string, Connection>();
  private state: ConfigFileState | undefined;
  private queue: Promise<void> = Promise.resolve();
  private watcher: FSWatcher | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private closing = false;

  constructor(
    private readonly root: WorkspaceRoot,
    private readonly groups: GroupRegistry,
    private readonly options: {
      env?: EnvLike;
      connectTimeoutMs?: number;
      sandbox: WorkspaceSandbox;
      fetch: typeof fetch;
    },
  ) {}

  start(): void {
    void this.enqueue(() => this.reload(false));
    try {
      this.watcher = watch(this.root.root, (_event, filename) => {
        if (filename !== null && filename !== MCP_CONFIG_FILE) return;
        clearTimeout(this.debounce);
        this.debounce = setTimeout(() => void this.ensureFresh(), 100);
      });
      this.watcher.on("error", () => this.watcher?.close());
      this.watcher.unref();
    } catch {
      // No watcher (e.g. inotify limit): the mtime check on each request still applies.
    }
  }

  /** Reloads serially: two reloads never interleave their connects and closes. */
  private enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.queue.then(task);
    this.queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** Re-reads `.mcp.json` if it changed since the last read (or always with `force`). */
  ensureFresh(force = false): Promise<void> {
    return this.enqueue(async () => {
      if (this.closing) return;
      if (force) return this.reload(true);
      if (this.state && (await statSignature(this.root)) === this.state.signature) return;
      await this.reload(false);
    });
  }

  private async reload(reconnectAll: boolean): Promise<void> {
    if (this.closing) return;
    const previousHash = this.state?.config.hash;
    this.state = await readMcpConfig(this.root, this.options.env ?? process.env);
    if (!reconnectAll && previousHash === this.state.config.hash) return;
    const wanted = new Map(this.state.config.servers.map((s) => [s.name, s]));
    const stale: Connection[] = [];
    for (const [name, conn] of this.connections) {
      const next = wanted.get(name);
      if (reconnectAll || !next || JSON.stringify(next) !== conn.fingerprint) {
        this.connections.delete(name);
        stale.push(conn);
      }
    }
    // Removed servers are gone (process group included) before the new listing is served.
    await Promise.all(stale.map((conn) => this.disconnect(conn)));
    for (const config of wanted.values()) {
      if (!this.connections.has(config.name))
        this.connections.set(config.name, this.connect(config));
    }
  }

  private makeTransport(config: ServerConfig): Transport {
    if (config.transport === "stdio") {
      return new GroupStdioTransport({
        command: config.command,
        args: config.args,
        cwd: this.root.root,
        env: config.env,
        groups: this.groups,
        sandbox: this.options.sandbox,
      });
    }
    // HTTP servers are dialled from the agent, outside the sandbox: through the same egress
    // check as commands, so `.mcp.json` cannot point the agent at the host's own services.
    const requestInit = { headers: config.headers };
    const fetch = this.options.fetch;
    return config.transport === "sse"
      ? new SSEClientTransport(new URL(config.url), { requestInit, fetch })
      : new StreamableHTTPClientTransport(new URL(config.url), { requestInit, fetch });
  }

  private connect(config: ServerConfig): Connection {
    const conn: Connection = {
      config,
      fingerprint: JSON.stringify(config),
      status: "connecting",
      tools: [],
      ready: Promise.resolve(),
      closed: false,
    };
    const timeout = this.options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
    conn.ready = (async () => {
      const client = new Client({ name: "toolgate-workspace-agent", version: "0.1.0" });
      let transport: Transport | undefined;
      try {
        transport = this.makeTransport(config);
        conn.client = client;
        conn.transport = transport;
        await withTimeout(client.connect(transport, { timeout }), timeout, "connecting");
        conn.tools = await withTimeout(this.listAll(client), timeout, "listing tools");
        if (conn.closed) return;
        conn.status = "ok";
        client.onclose = () => {
          if (conn.closed) return;
          conn.status = "error";
          conn.error = `the connection closed: ${describeError(new Error("disconnected"), transport)}`;
          conn.tools = [];
        };
        client.setNotificationHandler(ToolListChangedNotificationSchema, async () => {
          try {
            conn.tools = await this.listAll(client);
          } catch (err) {
            conn.error = `refreshing the tool list failed: ${describeError(err, transport)}`;
          }
        });
      } catch (err) {
        conn.status = "error";
        conn.error = describeError(err, transport);
        conn.tools = [];
        // A half-started stdio server must not linger.
        await client.close().catch(() => transport?.close());
      }
    })();
    return conn;
  }

  private async listAll(client: Client): Promise<Tool[]> {
    const tools: Tool[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.listTools(cursor ? { cursor } : undefined);
      tools.push(...page.tools);
      cursor = page.nextCursor;
    } while (cursor && tools.length < MAX_TOOLS_PER_SERVER);
    return tools.slice(0, MAX_TOOLS_PER_SERVER);
  }

  private async disconnect(conn: Connection): Promise<void> {
    conn.closed = true;
    await conn.ready;
    if (conn.status === "ok" && conn.transport instanceof StreamableHTTPClientTransport) {
      // Polite session end (DELETE); the server may already be gone, which changes nothing.
      await withTimeout(conn.transport.terminateSession(), 2_000, "ending the session").catch(
        () => undefined,
      );
    }
    try {
      await conn.client?.close();
    } finally {
      await conn.transport?.close();
    }
  }

  async listTools(refresh: boolean): Promise<McpToolListing> {
    await this.ensureFresh(refresh);
    await Promise.all([...this.connections.values()].map((c) => c.ready));
    const config = this.state?.config;
    const servers: McpServerStatus[] = [];
    const tools: McpToolListing["tools"] = [];
    for (const conn of this.connections.values()) {
      const ok = conn.status === "ok";
      const pid = conn.transport instanceof GroupStdioTransport ? conn.transport.pid : undefined;
      servers.push({
        name: conn.config.name,
        transport: conn.config.transport,
        status: ok ? "ok" : "error",
        ...(!ok && { error: conn.error ?? "not connected" }),
        tools_count: conn.tools.length,
        ...(ok && pid !== undefined && { pid }),
        launch: launchOf(conn.config),
        fingerprint: createHash("sha256").update(conn.fingerprint).digest("hex"),
      });
      for (const tool of conn.tools) {
        tools.push({
          name: `${conn.config.name}__${tool.name}`,
          server: conn.config.name,
          tool_name: tool.name,
          description: tool.description ?? "",
          input_schema: tool.inputSchema,
          annotations: tool.annotations ?? {},
        });
      }
    }
    for (const invalid of config?.invalid ?? []) {
      servers.push({ ...invalid, status: "error", tools_count: 0 });
    }
    servers.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    tools.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return {
      config: {
        path: MCP_CONFIG_FILE,
        status: config?.status ?? "missing",
        ...(config?.error !== undefined && { error: config.error }),
        warnings: config?.warnings ?? [],
      },
      servers,
      tools,
    };
  }

  async callTool(
    toolName: string,
    args: Record<string, unknown>,
    expectFingerprint?: string,
  ): Promise<CallToolResult> {
    const split = toolName.indexOf("__");
    const server = split > 0 ? toolName.slice(0, split) : "";
    const name = split > 0 ? toolName.slice(split + 2) : "";
    if (!server || !name) {
      throw new AgentError(
        400,
        "mcp.invalid_tool_name",
        "tool_name must look like <server>__<tool>.",
        [{ field: "tool_name", detail: "must look like <server>__<tool>" }],
      );
    }
    await this.ensureFresh();
    const conn = this.connections.get(server);
    if (!conn) {
      const invalid = this.state?.config.invalid.find((s) => s.name === server);
      if (invalid) {
        throw new AgentError(
          502,
          "mcp.server_unavailable",
          `Workspace MCP server ${server} is misconfigured: ${invalid.error}.`,
        );
      }
      throw new AgentError(404, "mcp.unknown_server", `No workspace MCP server named ${server}.`);
    }
    // The caller decided on the config it listed; a server whose config changed since (a new
    // command or URL under the same name) must be decided again before it is called.
    if (
      expectFingerprint !== undefined &&
      createHash("sha256").update(conn.fingerprint).digest("hex") !== expectFingerprint
    ) {
      throw new AgentError(
        409,
        "mcp.server_changed",
        `Workspace MCP server ${server} changed since its tools were listed.`,
      );
    }
    await conn.ready;
    if (conn.status !== "ok" || !conn.client) {
      throw new AgentError(
        502,
        "mcp.server_unavailable",
        `Workspace MCP server ${server} is unavailable: ${conn.error ?? "not connected"}.`,
      );
    }
    if (!conn.tools.some((t) => t.name === name)) {
      throw new AgentError(
        404,
        "mcp.unknown_tool",
        `Workspace MCP server ${server} has no tool ${name}.`,
      );
    }
    try {
      const result = await conn.client.callTool({ name, arguments: args }, undefined, {
        timeout: CALL_TIMEOUT_MS,
      });
      return result as CallToolResult;
    } catch (err) {
      throw new AgentError(
        502,
        "mcp.upstream_error",
        `Workspace MCP server ${server} failed to run ${name}: ${describeError(err, conn.transport)}`,
      );
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    clearTimeout(this.debounce);
    this.watcher?.close();
    await this.queue;
    const all = [...this.connections.values()];
    this.connections.clear();
    await Promise.allSettled(all.map((conn) => this.disconnect(conn)));
  }
}
