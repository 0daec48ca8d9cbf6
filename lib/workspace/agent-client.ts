import "server-only";
// A typed client for one workspace agent's HTTP API (lib/workspace/agent). The agent listens
// on loopback and is configured by toolgate itself, so these requests do not go through the
// MCP egress guard; they carry the workspace's bearer token.
import { Agent, fetch as undiciFetch } from "undici";

/** A request the agent answered with an error (problem+json), or could not answer at all. */
export class AgentRequestError extends Error {
  override name = "AgentRequestError";
  constructor(
    /** HTTP status, or 0 when the agent could not be reached or timed out. */
    readonly status: number,
    readonly code: string,
    message: string,
    readonly validations?: Array<{ field: string; detail: string }>,
  ) {
    super(message);
  }
}

export interface AgentReadResult {
  path: string;
  content: string;
  start_line: number;
  end_line: number;
  has_more: boolean;
  next_offset?: number;
  truncated: boolean;
  size: number;
}

export interface AgentWriteResult {
  path: string;
  bytes_written: number;
  created: boolean;
}

export interface AgentEditResult {
  path: string;
  replacements: number[];
  bytes_written: number;
}

export interface AgentListResult {
  path: string;
  entries: Array<{ path: string; type: "file" | "directory" | "symlink" | "other"; size?: number }>;
  truncated: boolean;
}

export interface AgentExecuteInput {
  command: string;
  args?: string[];
  shell?: boolean;
  cwd?: string;
  env?: Record<string, string>;
  timeout_ms?: number;
  background?: boolean;
  /** "plan": read-only workspace but plan_file, no network (enforced by the OS sandbox). */
  mode?: "normal" | "plan";
  plan_file?: string;
}

export interface AgentExecuteResult {
  process_id: string;
  pid: number;
  status?: "running" | "exited";
  exit_code?: number | null;
  signal?: string | null;
  timed_out?: boolean;
  output?: string;
  truncated?: boolean;
  next_offset?: number;
}

export interface AgentProcessOutput {
  process_id: string;
  status: "running" | "exited";
  exit_code: number | null;
  signal: string | null;
  timed_out: boolean;
  output: string;
  next_offset: number;
  truncated: boolean;
}

export interface AgentProcessInfo {
  process_id: string;
  pid: number;
  command: string;
  args?: string[];
  shell: boolean;
  background: boolean;
  status: "running" | "exited";
  exit_code: number | null;
  signal: string | null;
  timed_out: boolean;
  started_at: string;
  ended_at: string | null;
}

export interface AgentMcpServer {
  name: string;
  transport: "stdio" | "http" | "sse" | "unknown";
  status: "ok" | "error";
  error?: string;
  tools_count: number;
  pid?: number;
  /** Absent from agents older than the workspace-server rule: such a server matches nothing. */
  launch?:
    | { transport: "stdio"; command: string; args: string[]; sets_path: boolean }
    | { transport: "http" | "sse"; url: string };
  fingerprint?: string;
}

export interface AgentMcpTool {
  /** `<server>__<tool>`, exactly as call-tool expects it. */
  name: string;
  server: string;
  tool_name: string;
  description: string;
  input_schema: Record<string, unknown>;
  annotations: Record<string, unknown>;
}

export interface AgentMcpListing {
  config: { path: string; status: "ok" | "missing" | "error"; error?: string; warnings: string[] };
  servers: AgentMcpServer[];
  tools: AgentMcpTool[];
}

export interface AgentCallToolResult {
  content?: unknown[];
  structuredContent?: unknown;
  isError?: boolean;
  [key: string]: unknown;
}

/** Default per-request deadline; execute waits for the command's own timeout plus this. */
const DEFAULT_TIMEOUT_MS = 30_000;
const EXECUTE_MARGIN_MS = 30_000;
/** The agent's own default for a foreground command (lib/workspace/agent/schemas.ts). */
const AGENT_DEFAULT_EXECUTE_MS = 60_000;
const MCP_LIST_TIMEOUT_MS = 20_000;
const MCP_CALL_TIMEOUT_MS = 90_000;

// undici's defaults cut a response whose headers take over 300 s; a foreground command may
// run for up to 10 minutes, so the deadline is ours (AbortSignal) and undici's are off.
const shared = globalThis as unknown as { __toolgateAgentDispatcher?: Agent };
function dispatcher(): Agent {
  shared.__toolgateAgentDispatcher ??= new Agent({
    headersTimeout: 0,
    bodyTimeout: 0,
    connect: { timeout: 5_000 },
  });
  return shared.__toolgateAgentDispatcher;
}

export class AgentClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  private async request<T>(
    method: "GET" | "POST",
    route: string,
    body: unknown,
    opts: { timeoutMs?: number; signal?: AbortSignal } = {},
  ): Promise<T> {
    const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const signals = [AbortSignal.timeout(timeoutMs)];
    if (opts.signal) signals.push(opts.signal);
    let res;
    try {
      res = await undiciFetch(`${this.baseUrl}${route}`, {
        method,
        headers: {
          authorization: `Bearer ${this.token}`,
          ...(body !== undefined && { "content-type": "application/json" }),
        },
        ...(body !== undefined && { body: JSON.stringify(body) }),
        signal: AbortSignal.any(signals),
        dispatcher: dispatcher(),
      });
    } catch (err) {
      if (opts.signal?.aborted) throw opts.signal.reason ?? err;
      const name = (err as Error).name;
      if (name === "TimeoutError" || name === "AbortError") {
        throw new AgentRequestError(
          0,
          "workspace.agent_timeout",
          `The workspace agent did not answer within ${Math.round(timeoutMs / 1000)} s.`,
        );
      }
      throw new AgentRequestError(
        0,
        "workspace.agent_unreachable",
        "The workspace agent is not reachable.",
      );
    }
    const text = await res.text();
    let data: unknown;
    try {
      data = text ? JSON.parse(text) : undefined;
    } catch {
      data = undefined;
    }
    if (!res.ok) {
      const problem = (data ?? {}) as {
        code?: unknown;
        message?: unknown;
        validations?: Array<{ field: string; detail: string }>;
      };
      throw new AgentRequestError(
        res.status,
        typeof problem.code === "string" ? problem.code : "workspace.agent_error",
        typeof problem.message === "string"
          ? problem.message
          : `The workspace agent answered HTTP ${res.status}.`,
        Array.isArray(problem.validations) ? problem.validations : undefined,
      );
    }
    return data as T;
  }

  /** True when the agent answers an authenticated request with this client's token. */
  async ping(timeoutMs = 2_000): Promise<boolean> {
    try {
      await this.request("GET", "/api/v0/processes", undefined, { timeoutMs });
      return true;
    } catch {
      return false;
    }
  }

  readFile(
    body: { path: string; offset?: number; limit?: number; line_numbers?: boolean },
    signal?: AbortSignal,
  ) {
    return this.request<AgentReadResult>("POST", "/api/v0/files/read", body, { signal });
  }

  writeFile(
    body: { path: string; content: string; create_dirs?: boolean; no_symlinks?: boolean },
    signal?: AbortSignal,
  ) {
    return this.request<AgentWriteResult>("POST", "/api/v0/files/write", body, { signal });
  }

  editFile(
    body: {
      path: string;
      edits: Array<{ old_text: string; new_text: string; replace_all?: boolean }>;
    },
    signal?: AbortSignal,
  ) {
    return this.request<AgentEditResult>("POST", "/api/v0/files/edit", body, { signal });
  }

  listFiles(body: { path?: string; depth?: number }, signal?: AbortSignal) {
    return this.request<AgentListResult>("POST", "/api/v0/files/list", body, { signal });
  }

  execute(body: AgentExecuteInput, signal?: AbortSignal) {
    const waits = body.background ? 0 : (body.timeout_ms ?? AGENT_DEFAULT_EXECUTE_MS);
    return this.request<AgentExecuteResult>("POST", "/api/v0/processes/execute", body, {
      signal,
      timeoutMs: waits + EXECUTE_MARGIN_MS,
    });
  }

  processOutput(body: { process_id: string; since?: number }, signal?: AbortSignal) {
    return this.request<AgentProcessOutput>("POST", "/api/v0/processes/output", body, { signal });
  }

  processList(signal?: AbortSignal) {
    return this.request<{ processes: AgentProcessInfo[] }>("GET", "/api/v0/processes", undefined, {
      signal,
    });
  }

  processSignal(
    body: { process_id: string; signal: "SIGTERM" | "SIGINT" | "SIGKILL" },
    signal?: AbortSignal,
  ) {
    return this.request<{ process_id: string; signal: string; status: string }>(
      "POST",
      "/api/v0/processes/signal",
      body,
      { signal },
    );
  }

  mcpTools(refresh = false, signal?: AbortSignal) {
    return this.request<AgentMcpListing>(
      "GET",
      `/api/v0/mcp/tools${refresh ? "?refresh=true" : ""}`,
      undefined,
      { signal, timeoutMs: MCP_LIST_TIMEOUT_MS },
    );
  }

  callTool(
    toolName: string,
    args: Record<string, unknown>,
    signal?: AbortSignal,
    expectFingerprint?: string,
  ) {
    return this.request<AgentCallToolResult>(
      "POST",
      "/api/v0/mcp/call-tool",
      {
        tool_name: toolName,
        arguments: args,
        ...(expectFingerprint !== undefined && { expect_fingerprint: expectFingerprint }),
      },
      { signal, timeoutMs: MCP_CALL_TIMEOUT_MS },
    );
  }
}
