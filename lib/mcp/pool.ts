import "server-only";

import { createHash } from "node:crypto";

import { SseError } from "@modelcontextprotocol/sdk/client/sse.js";
import { StreamableHTTPError } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import type { CallToolResult, Progress } from "@modelcontextprotocol/sdk/types.js";

import {
  classifyMcpError,
  connectMcp,
  DEFAULT_CONNECT_TIMEOUT_MS,
  listAllTools,
  McpConnectionError,
  type ClassifyContext,
  type McpConnection,
  type McpEraMemory,
  type McpErrorCode,
} from "@/lib/mcp/client";
import { McpInputRequiredError } from "@/lib/mcp/input-required";
import type { McpToolDefinitionRef } from "@/lib/mcp/session";
import {
  currentScope,
  elicitationAllowanceMs,
  outsideElicitation,
  pausableTimeout,
} from "@/lib/mcp/elicitation-scope";
import { mcpFailureKey, NegativeCache } from "@/lib/mcp/negative-cache";
import { createRedactor, redactToolResult, redactValue, type Redactor } from "@/lib/mcp/redact";
import { DEFAULT_MAX_RESPONSE_BYTES } from "@/lib/mcp/response-limits";
import { createGuardedFetch, getEgressAllowlist } from "@/lib/net/egress";
import { toPooledTool, type PooledTool } from "./pooled-tool";

export interface McpEndpoint {
  serverId: string;
  /** Config version: a change of config means a new connection. */
  version: number;
  url: string;
  transport: "streamable_http" | "sse";
  /** Auth headers plus identity headers, already resolved for this user/chat. */
  headers: Record<string, string>;
  /**
   * The credential values among the headers (see credentialValues; identity headers are not
   * secrets). Redacted from everything this server returns: results, errors, tool lists.
   */
  secrets?: readonly string[];
  /** Cache partition: connections and tool lists are never shared across users. */
  userId: string;
  /** Names among `headers` that only identify (not authenticate); failures are shared across them. */
  identityHeaders?: readonly string[];
}

export type { PooledTool } from "./pooled-tool";

/** A classified failure; `code` comes from classifyMcpError. */
export type McpFailure = { code: McpErrorCode; message: string };

export type ListToolsResult =
  /** `truncated`: the server listed more tools than the pool keeps (MAX_LISTED_TOOLS). */
  | { ok: true; tools: PooledTool[]; truncated: boolean; cached: boolean }
  | { ok: false; error: McpFailure; cached: boolean; cause?: unknown };

export interface McpPoolOptions {
  /** Bounds the connect + initialize handshake, and separately the tool listing. */
  connectTimeoutMs?: number;
  callTimeoutMs?: number;
  /** How long a failed connect/list is answered from memory without dialling again. */
  negativeTtlMs?: number;
  toolsTtlMs?: number;
  idleTtlMs?: number;
  /** Bound on cached connections, and separately on negative entries. */
  maxEntries?: number;
  /** Defaults to connectMcp's guarded fetch (EGRESS_ALLOWLIST). */
  fetch?: typeof fetch;
  /** Largest JSON response or SSE event accepted from a server; larger ones are cut. */
  maxResponseBytes?: number;
}

export const DEFAULT_CALL_TIMEOUT_MS = 60_000;
export const DEFAULT_NEGATIVE_TTL_MS = 60_000;
export const DEFAULT_TOOLS_TTL_MS = 5 * 60_000;
export const DEFAULT_IDLE_TTL_MS = 5 * 60_000;
export const DEFAULT_MAX_ENTRIES = 500;
// How long the SDK's own request timer waits past ours; it only matters if ours never fires.
const SDK_TIMEOUT_SLACK_MS = 5_000;
const MAX_SERVER_DETAIL_CHARS = 500;

/** What callTool throws for transport and protocol failures, never for `isError` results. */
export class McpToolCallError extends Error {
  override readonly name = "McpToolCallError";
  readonly code: McpErrorCode;
  /** True when the failure was answered from the negative cache without dialling. */
  readonly cached: boolean;
  /**
   * The server's own JSON-RPC error message (e.g. invalid params), capped, for the model to
   * correct its call. Absent for transport failures; never shown as an admin-facing message.
   */
  readonly serverDetail: string | undefined;

  constructor(
    failure: McpFailure,
    options: { cause?: unknown; cached?: boolean; serverDetail?: string } = {},
  ) {
    super(failure.message, { cause: options.cause });
    this.code = failure.code;
    this.cached = options.cached ?? false;
    this.serverDetail = options.serverDetail;
  }
}

interface Entry {
  readonly key: string;
  /** The negative cache's key: the endpoint, whoever asks (negative-cache.ts). */
  readonly failureKey: string;
  readonly endpoint: McpEndpoint;
  connection: McpConnection | undefined;
  connecting: Promise<McpConnection> | undefined;
  /** The server's era from the last connection: the next one connects without probing. */
  era: McpEraMemory | undefined;
  tools: { list: PooledTool[]; truncated: boolean; expiresAt: number } | undefined;
  /** Removes the credentials this entry sends from whatever its server returns. */
  readonly redactor: Redactor;
  /** Annotations from the last listing, kept across reconnects; they decide whether to retry. */
  knownHints: Map<string, NonNullable<PooledTool["annotations"]>>;
  toolsLoad: Promise<{ list: PooledTool[]; truncated: boolean }> | undefined;
  /** Bumped whenever the cached list becomes stale; a listing started earlier is not stored. */
  toolsGeneration: number;
  refreshQueued: boolean;
  /** Operations in progress; a retired entry is closed when the last one ends. */
  leases: number;
  lastUsed: number;
  retired: boolean;
  /** Set by close(): a connect finishing afterwards is closed at once. */
  killed: boolean;
  /** The connection is replaced at its next use (a cancelled call may have left a stream open). */
  recycle: boolean;
}

// Codes after which the connection is not trusted again: the next use dials afresh.
const CONNECTION_FAILURES = new Set<McpErrorCode>([
  "mcp.unreachable",
  "mcp.not_mcp_server",
  "mcp.auth_required",
  "mcp.invalid_config",
  "egress.destination_not_allowed",
  "egress.redirect_not_allowed",
]);

/** Cache key: credentials are hashed so a changed token never reuses a connection. */
export function mcpEndpointKey(ep: McpEndpoint): string {
  const headers = Object.entries(ep.headers)
    .map(([name, value]) => [name.toLowerCase(), value] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const headerHash = createHash("sha256").update(JSON.stringify(headers)).digest("hex");
  return JSON.stringify([ep.userId, ep.serverId, ep.version, ep.transport, ep.url, headerHash]);
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "an invalid URL";
  }
}

function cancelledFailure(ep: McpEndpoint): McpFailure {
  return {
    code: "mcp.cancelled",
    message: `The request to the MCP server at ${hostOf(ep.url)} was cancelled.`,
  };
}

/** Rejects as soon as `signal` aborts; the shared `promise` itself runs on for other callers. */
function raceSignal<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

function hasErrno(error: unknown, code: string): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current != null && typeof current === "object"; depth += 1) {
    if ((current as { code?: unknown }).code === code) return true;
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.some((item) => hasErrno(item, code))) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * True when the request provably never reached a live session, so sending it again on a new
 * connection cannot run a tool twice: the session is unknown (server restarted), the port is
 * closed, or the transport was already closed.
 */
function neverDelivered(error: unknown): boolean {
  if (error instanceof StreamableHTTPError && error.code === 404) return true;
  if (error instanceof Error && error.message === "Not connected") return true;
  return hasErrno(error, "ECONNREFUSED");
}

/** Transport errors reported outside any request that mean the connection is gone. */
function isFatalTransportError(error: unknown): boolean {
  // The legacy SSE stream carries every response: once it fails, the session is lost.
  if (error instanceof SseError) return true;
  if (!(error instanceof Error)) return false;
  return (
    error.message.startsWith("SSE stream disconnected") ||
    error.message.startsWith("Failed to reconnect SSE stream") ||
    error.message.startsWith("Maximum reconnection attempts")
  );
}

interface CallOptions {
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
  /** The tool as the caller listed it (Mcp-Param-* headers on a fresh connection). */
  definition?: McpToolDefinitionRef;
}

/**
 * Connections and tool lists of external MCP servers, per user, server config and
 * credentials. Failures are classified and remembered for a while, so a dead server costs its
 * timeout once instead of on every step of every turn.
 */
export class McpPool {
  private readonly connectTimeoutMs: number;
  private readonly callTimeoutMs: number;
  private readonly negativeTtlMs: number;
  private readonly toolsTtlMs: number;
  private readonly idleTtlMs: number;
  private readonly maxEntries: number;
  private readonly fetchFn: typeof fetch | undefined;
  private readonly maxResponseBytes: number;

  /** Insertion order is recency order: a use moves the entry to the end. */
  private readonly entries = new Map<string, Entry>();
  private readonly negative: NegativeCache;
  /** Entries still in use after being retired, so close() can reach them. */
  private readonly retiredInUse = new Set<Entry>();
  private readonly connectionFailures = new WeakMap<McpConnection, McpFailure>();
  private readonly closing = new Set<Promise<void>>();
  private sweeper: ReturnType<typeof setInterval> | undefined;

  constructor(options: McpPoolOptions = {}) {
    this.connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    this.callTimeoutMs = options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    this.negativeTtlMs = options.negativeTtlMs ?? DEFAULT_NEGATIVE_TTL_MS;
    this.toolsTtlMs = options.toolsTtlMs ?? DEFAULT_TOOLS_TTL_MS;
    this.idleTtlMs = options.idleTtlMs ?? DEFAULT_IDLE_TTL_MS;
    this.maxEntries = Math.max(1, options.maxEntries ?? DEFAULT_MAX_ENTRIES);
    this.fetchFn = options.fetch;
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.negative = new NegativeCache(this.negativeTtlMs, this.maxEntries);
  }

  /** Tools of one server for one user; never throws for server problems. */
  async listTools(ep: McpEndpoint, opts: { signal?: AbortSignal } = {}): Promise<ListToolsResult> {
    const { signal } = opts;
    if (signal?.aborted) return { ok: false, error: cancelledFailure(ep), cached: false };
    const key = mcpEndpointKey(ep);
    const negative = this.negative.get(mcpFailureKey(ep));
    if (negative !== undefined) return { ok: false, error: negative, cached: true };

    const entry = this.entryFor(key, ep);
    const cachedTools = entry.tools;
    if (entry.connection !== undefined && cachedTools && cachedTools.expiresAt > Date.now()) {
      entry.lastUsed = Date.now();
      return {
        ok: true,
        tools: cachedTools.list,
        truncated: cachedTools.truncated,
        cached: true,
      };
    }

    entry.leases += 1;
    try {
      const { list, truncated } = await raceSignal(this.loadTools(entry), signal);
      return { ok: true, tools: list, truncated, cached: false };
    } catch (error) {
      if (signal?.aborted) return { ok: false, error: cancelledFailure(ep), cached: false };
      return { ok: false, error: this.classify(error, ep), cached: false, cause: error };
    } finally {
      this.release(entry);
    }
  }

  /**
   * Calls a tool by its original name. Times out after callTimeoutMs (the SDK sends
   * notifications/cancelled) and honours `opts.signal`. Whatever `opts.timeoutMs` says, a
   * response body still streaming past callTimeoutMs plus slack is cut (response-limits.ts). Throws McpToolCallError for transport
   * and protocol failures; `isError` results are returned as they are.
   */
  async callTool(
    ep: McpEndpoint,
    toolName: string,
    args: Record<string, unknown>,
    opts: CallOptions & { timeoutMs?: number } = {},
  ): Promise<CallToolResult> {
    const { signal } = opts;
    const timeoutMs = opts.timeoutMs ?? this.callTimeoutMs;
    if (signal?.aborted) throw new McpToolCallError(cancelledFailure(ep));
    const key = mcpEndpointKey(ep);
    const negative = this.negative.get(mcpFailureKey(ep));
    if (negative !== undefined) throw new McpToolCallError(negative, { cached: true });

    const entry = this.entryFor(key, ep);
    entry.leases += 1;
    // A question this call's server asks is redacted like its result (elicitation.ts).
    const scope = currentScope();
    if (scope) scope.redactor = entry.redactor;
    const definition = opts.definition ?? entry.tools?.list.find((tool) => tool.name === toolName);
    try {
      for (let attempt = 0; ; attempt += 1) {
        let connection: McpConnection;
        let fresh: boolean;
        try {
          ({ connection, fresh } = await raceSignal(this.connection(entry), signal));
        } catch (error) {
          if (signal?.aborted) throw new McpToolCallError(cancelledFailure(ep), { cause: error });
          throw new McpToolCallError(this.classify(error, ep), { cause: error });
        }
        try {
          const result = await this.invoke(entry, connection, toolName, args, timeoutMs, {
            signal,
            ...(definition !== undefined && { definition }),
            // Progress text is server output like a result: it may echo what it was sent.
            ...(opts.onProgress !== undefined && {
              onProgress: (p: Progress) =>
                opts.onProgress?.(redactValue(p, entry.redactor) as Progress),
            }),
          });
          return redactToolResult(result, entry.redactor);
        } catch (error) {
          if (error instanceof McpToolCallError) throw error;
          const failure = this.failureOf(connection, error, ep);
          const lostConnection =
            CONNECTION_FAILURES.has(failure.code) || !(error instanceof McpError);
          if (lostConnection) {
            this.dropConnection(entry, connection, failure);
            // One more try on a new connection when the first one was stale: always if the
            // request provably never arrived, otherwise only for a tool the server declares
            // read-only or idempotent (it may have run once already).
            const repeatable =
              neverDelivered(error) ||
              entry.knownHints.get(toolName)?.readOnlyHint === true ||
              entry.knownHints.get(toolName)?.idempotentHint === true;
            if (!fresh && attempt === 0 && repeatable) continue;
          }
          const serverDetail =
            error instanceof McpError && error.code !== ErrorCode.ConnectionClosed
              ? entry.redactor.text(error.message).slice(0, MAX_SERVER_DETAIL_CHARS)
              : undefined;
          throw new McpToolCallError(failure, {
            cause: error,
            ...(serverDetail !== undefined && { serverDetail }),
          });
        }
      }
    } finally {
      this.release(entry);
    }
  }

  /** Drops cached connections, tools and negative entries of a server (config changed or deleted). */
  invalidateServer(serverId: string): void {
    for (const entry of [...this.entries.values()]) {
      if (entry.endpoint.serverId === serverId) this.retire(entry);
    }
    this.negative.forgetServer(serverId);
    this.updateSweeper();
  }

  /** Closes every connection, in use or not. The pool stays usable and starts empty. */
  async close(): Promise<void> {
    const all = [...this.entries.values(), ...this.retiredInUse];
    this.entries.clear();
    this.negative.clear();
    this.retiredInUse.clear();
    for (const entry of all) {
      entry.retired = true;
      entry.killed = true;
      this.closeConnectionOf(entry);
    }
    // A connect still in flight closes itself when it lands (entry.killed).
    await Promise.allSettled(all.map((entry) => entry.connecting));
    await Promise.allSettled([...this.closing]);
    this.updateSweeper();
  }

  stats(): { connections: number; negative: number } {
    const now = Date.now();
    let connections = 0;
    for (const entry of this.entries.values()) if (entry.connection !== undefined) connections++;
    for (const entry of this.retiredInUse) if (entry.connection !== undefined) connections++;
    return { connections, negative: this.negative.live(now) };
  }

  // -------------------------------------------------------------------------
  // Entries

  private entryFor(key: string, ep: McpEndpoint): Entry {
    const existing = this.entries.get(key);
    if (existing !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, existing);
      return existing;
    }
    const entry: Entry = {
      key,
      failureKey: mcpFailureKey(ep),
      endpoint: { ...ep, headers: { ...ep.headers } },
      connection: undefined,
      era: undefined,
      connecting: undefined,
      tools: undefined,
      redactor: createRedactor(ep.secrets ?? []),
      knownHints: new Map(),
      toolsLoad: undefined,
      toolsGeneration: 0,
      refreshQueued: false,
      leases: 0,
      lastUsed: Date.now(),
      retired: false,
      killed: false,
      recycle: false,
    };
    this.entries.set(key, entry);
    if (this.entries.size > this.maxEntries) {
      for (const candidate of this.entries.values()) {
        if (this.entries.size <= this.maxEntries) break;
        // Busy entries are skipped: evicting them would cut a call short.
        if (candidate !== entry && candidate.leases === 0) this.retire(candidate);
      }
    }
    this.updateSweeper();
    return entry;
  }

  private release(entry: Entry): void {
    entry.leases -= 1;
    entry.lastUsed = Date.now();
    if (entry.leases > 0) return;
    if (entry.retired) {
      this.retiredInUse.delete(entry);
      this.closeConnectionOf(entry);
    }
  }

  private retire(entry: Entry): void {
    if (this.entries.get(entry.key) === entry) this.entries.delete(entry.key);
    if (entry.retired) return;
    entry.retired = true;
    if (entry.leases === 0) this.closeConnectionOf(entry);
    else this.retiredInUse.add(entry);
  }

  private closeConnectionOf(entry: Entry): void {
    const connection = entry.connection;
    entry.connection = undefined;
    entry.tools = undefined;
    entry.toolsGeneration += 1;
    if (connection === undefined) return;
    // A call still running on it (pool closed) reports why, not "the server closed it".
    if (!this.connectionFailures.has(connection)) {
      this.connectionFailures.set(connection, {
        code: "mcp.cancelled",
        message: `The connection to the MCP server at ${hostOf(entry.endpoint.url)} was closed by toolgate.`,
      });
    }
    this.closeConnection(connection);
  }

  private closeConnection(connection: McpConnection): void {
    const closing = connection.close().then(
      () => undefined,
      () => undefined,
    );
    this.closing.add(closing);
    void closing.then(() => this.closing.delete(closing));
  }

  /** Forgets a connection that failed; in-flight requests on it are rejected by the close. */
  private dropConnection(
    entry: Entry,
    connection: McpConnection,
    failure: McpFailure | undefined,
  ): void {
    if (failure !== undefined && !this.connectionFailures.has(connection)) {
      this.connectionFailures.set(connection, failure);
    }
    if (entry.connection !== connection) return;
    entry.recycle = false;
    // A failed connection's era is not trusted either: a server may have been downgraded
    // (or upgraded), so the next connection probes again.
    if (failure !== undefined) entry.era = undefined;
    this.closeConnectionOf(entry);
  }

  // -------------------------------------------------------------------------
  // Connecting and listing

  private async connection(entry: Entry): Promise<{ connection: McpConnection; fresh: boolean }> {
    if (entry.connection !== undefined) {
      // Replaced only when this caller is its sole user, so no other call is cut short; by
      // now the cancellation that marked it has long been sent.
      if (!entry.recycle || entry.leases > 1) {
        return { connection: entry.connection, fresh: false };
      }
      this.dropConnection(entry, entry.connection, undefined);
    }
    if (entry.connecting === undefined) {
      const connecting = this.dial(entry).finally(() => {
        entry.connecting = undefined;
      });
      // Callers await their own race on it; this only marks the shared promise as handled.
      connecting.catch(() => undefined);
      entry.connecting = connecting;
    }
    return { connection: await entry.connecting, fresh: true };
  }

  private async dial(entry: Entry): Promise<McpConnection> {
    const ep = entry.endpoint;
    let dialled: McpConnection | undefined;
    // Without a fetch of its own, each connection gets its own dispatcher: after a timed-out
    // connect undici keeps an idle socket to the dead server, which only destroying frees.
    const own =
      this.fetchFn === undefined
        ? createGuardedFetch({
            allowlist: getEgressAllowlist(),
            credentialHeaders: Object.keys(ep.headers),
          })
        : undefined;
    const destroyOwn = () => own?.dispatcher.destroy().catch(() => undefined);
    try {
      // Dialled outside the call that needed it: the connection's own streams are shared.
      dialled = await outsideElicitation(connectMcp, {
        url: ep.url,
        transport: ep.transport,
        headers: ep.headers,
        connectTimeoutMs: this.connectTimeoutMs,
        fetch: this.fetchFn ?? own,
        ...(entry.era !== undefined && { prior: entry.era }),
        responseLimits: {
          maxBytes: this.maxResponseBytes,
          // A request's response may not outlive the call timeout: an endless body is cut.
          maxMs: this.callTimeoutMs + SDK_TIMEOUT_SLACK_MS,
          // The cut body's request would otherwise wait for its timeout; dropping the
          // connection fails it now, with this reason.
          onLimit: (error) => {
            if (dialled !== undefined)
              this.dropConnection(entry, dialled, this.classify(error, ep));
          },
        },
      });
    } catch (error) {
      await destroyOwn();
      const failure = this.classify(error, ep);
      if (!entry.killed) this.remember(entry, failure);
      throw new McpConnectionError(failure, { cause: error });
    }
    const connection = dialled;
    const closeSession = connection.close;
    connection.close = () => closeSession().finally(destroyOwn);
    if (entry.killed) {
      this.closeConnection(connection);
      throw new McpConnectionError({
        code: "mcp.cancelled",
        message: "The MCP connection pool was closed.",
      });
    }
    entry.era = connection.eraMemory;
    const { client } = connection;
    client.onToolListChanged(() => {
      this.onToolsChanged(entry, connection);
    });
    client.onclose = () => {
      this.dropConnection(entry, connection, {
        code: "mcp.unreachable",
        message: `The MCP server at ${hostOf(ep.url)} closed the connection.`,
      });
    };
    client.onerror = (error) => {
      if (!isFatalTransportError(error)) return;
      const classified = this.classify(error, ep);
      // A stream cut without an errno (the server went away) classifies as "unexpected".
      this.dropConnection(
        entry,
        connection,
        classified.code === "mcp.protocol_error"
          ? {
              code: "mcp.unreachable",
              message: `The MCP server at ${hostOf(ep.url)} ended the connection's event stream.`,
            }
          : classified,
      );
    };
    entry.connection = connection;
    entry.recycle = false;
    return connection;
  }

  private loadTools(entry: Entry): Promise<{ list: PooledTool[]; truncated: boolean }> {
    if (entry.toolsLoad === undefined) {
      const load = this.fetchTools(entry).finally(() => {
        entry.toolsLoad = undefined;
        if (entry.refreshQueued && !entry.retired) {
          entry.refreshQueued = false;
          this.refreshInBackground(entry);
        }
      });
      load.catch(() => undefined);
      entry.toolsLoad = load;
    }
    return entry.toolsLoad;
  }

  private async fetchTools(entry: Entry): Promise<{ list: PooledTool[]; truncated: boolean }> {
    const ep = entry.endpoint;
    for (let attempt = 0; ; attempt += 1) {
      const { connection, fresh } = await this.connection(entry);
      const generation = entry.toolsGeneration;
      try {
        const listed = await listAllTools(connection.client, { timeoutMs: this.connectTimeoutMs });
        const list = listed.tools.map((tool) => toPooledTool(tool, entry.redactor));
        const { truncated } = listed;
        if (entry.toolsGeneration === generation && entry.connection === connection) {
          entry.tools = { list, truncated, expiresAt: Date.now() + this.toolsTtlMs };
        }
        entry.knownHints = new Map(
          list.flatMap((tool) =>
            tool.annotations === undefined ? [] : [[tool.name, tool.annotations] as const],
          ),
        );
        this.negative.delete(entry.failureKey);
        return { list, truncated };
      } catch (error) {
        const failure = this.failureOf(connection, error, ep);
        this.dropConnection(entry, connection, failure);
        // Listing is safe to repeat: a stale session gets one fresh try before it counts.
        if (!fresh && attempt === 0 && CONNECTION_FAILURES.has(failure.code)) continue;
        if (!entry.killed) this.remember(entry, failure);
        throw new McpConnectionError(failure, { cause: error });
      }
    }
  }

  private onToolsChanged(entry: Entry, connection: McpConnection): void {
    if (entry.connection !== connection) return;
    entry.tools = undefined;
    entry.toolsGeneration += 1;
    if (entry.toolsLoad !== undefined) entry.refreshQueued = true;
    else this.refreshInBackground(entry);
  }

  private refreshInBackground(entry: Entry): void {
    // A failure is remembered in the negative cache by fetchTools; nobody awaits this one.
    void this.loadTools(entry)
      .then(({ list, truncated }) => this.backgroundListing?.(entry.endpoint, list, truncated))
      .catch(() => undefined);
  }

  private backgroundListing?: (ep: McpEndpoint, tools: PooledTool[], truncated: boolean) => void;
  /** Told of the pool's own listings (after list_changed), for the tool catalogue. */
  onBackgroundListing(observer: McpPool["backgroundListing"]): void {
    this.backgroundListing = observer;
  }

  private async invoke(
    entry: Entry,
    connection: McpConnection,
    toolName: string,
    args: Record<string, unknown>,
    timeoutMs: number,
    { signal, onProgress, definition }: CallOptions,
  ): Promise<CallToolResult> {
    const ep = entry.endpoint;
    const host = hostOf(ep.url);
    const controller = new AbortController();
    let stopped: "timeout" | "cancelled" | undefined;
    // The abort reason becomes the `reason` of notifications/cancelled sent to the server.
    // Stands still while the server waits for the person's answer to its question.
    const timer = pausableTimeout(timeoutMs, () => {
      stopped ??= "timeout";
      controller.abort(`Timed out after ${timeoutMs} ms`);
    });
    const onAbort = () => {
      stopped ??= "cancelled";
      controller.abort("Cancelled by the user");
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      // With onprogress the SDK sends a progress token. Progress does not extend the timeout
      // (no resetTimeoutOnProgress): timeoutMs is the maximum total the spec asks hosts to
      // keep, and response-limits.ts cuts every response stream at about that time anyway.
      return await connection.client.callTool(
        { name: toolName, arguments: args },
        {
          signal: controller.signal,
          timeout: timeoutMs + SDK_TIMEOUT_SLACK_MS + elicitationAllowanceMs(),
          ...(onProgress !== undefined && { onprogress: onProgress }),
          ...(definition !== undefined && { definition }),
        },
      );
    } catch (error) {
      if (error instanceof McpInputRequiredError) {
        throw new McpToolCallError(
          { code: "mcp.input_required", message: `${error.message} (MCP server at ${host})` },
          { cause: error },
        );
      }
      if (stopped === undefined) throw error;
      // A Streamable HTTP server never answers a cancelled request, so that request's
      // response stream (and its socket) stays open for the life of the session. The
      // connection is replaced at its next use so such streams cannot pile up.
      if (ep.transport === "streamable_http") entry.recycle = true;
      throw new McpToolCallError(
        stopped === "timeout"
          ? {
              code: "mcp.timeout",
              message: `The tool ${toolName} on the MCP server at ${host} did not finish within ${timeoutMs} ms; the call was cancelled.`,
            }
          : {
              code: "mcp.cancelled",
              message: `The call of tool ${toolName} on the MCP server at ${host} was cancelled.`,
            },
        { cause: error },
      );
    } finally {
      timer.clear();
      signal?.removeEventListener("abort", onAbort);
    }
  }

  // -------------------------------------------------------------------------
  // Failures

  private classify(error: unknown, ep: McpEndpoint): McpFailure {
    const context: ClassifyContext = {
      url: ep.url,
      sentCredentials: Object.keys(ep.headers).length > 0,
    };
    return classifyMcpError(error, context);
  }

  /** A request cut short by a dropped connection reports why it was dropped. */
  private failureOf(connection: McpConnection, error: unknown, ep: McpEndpoint): McpFailure {
    const recorded = this.connectionFailures.get(connection);
    if (
      recorded !== undefined &&
      error instanceof McpError &&
      error.code === ErrorCode.ConnectionClosed
    ) {
      return recorded;
    }
    return this.classify(error, ep);
  }

  private remember(entry: Entry, failure: McpFailure): void {
    this.negative.remember(entry.failureKey, entry.endpoint.serverId, failure);
    this.updateSweeper();
  }

  // -------------------------------------------------------------------------
  // Expiry

  private sweep(): void {
    const now = Date.now();
    for (const entry of [...this.entries.values()]) {
      if (entry.leases === 0 && now - entry.lastUsed >= this.idleTtlMs) this.retire(entry);
    }
    this.negative.sweep(now);
    this.updateSweeper();
  }

  private updateSweeper(): void {
    const needed = this.entries.size > 0 || this.negative.size > 0;
    if (needed && this.sweeper === undefined) {
      const period = Math.min(
        Math.max(Math.min(this.idleTtlMs, this.negativeTtlMs) / 2, 10),
        30_000,
      );
      this.sweeper = setInterval(() => this.sweep(), period);
      this.sweeper.unref?.();
    } else if (!needed && this.sweeper !== undefined) {
      clearInterval(this.sweeper);
      this.sweeper = undefined;
    }
  }
}

const POOL_KEY = Symbol.for("toolgate.mcpPool");

/** The process-wide pool, kept on globalThis so dev reloads do not orphan connections. */
export function getMcpPool(): McpPool {
  const holder = globalThis as typeof globalThis & { [POOL_KEY]?: McpPool };
  holder[POOL_KEY] ??= new McpPool();
  return holder[POOL_KEY];
}
