import "server-only";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { FetchLike } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { Implementation, Tool, ToolAnnotations } from "@modelcontextprotocol/sdk/types.js";

import { connectModern, type McpEraMemory } from "@/lib/mcp/client-2026";
import { acceptElicitations, ELICITATION_CAPABILITY } from "@/lib/mcp/elicitation";
import { sdkOutputValidationOff } from "./output-validation";
import {
  classifyMcpError,
  McpConnectionError,
  serverLabel,
  type ClassifyContext,
  type McpErrorInfo,
} from "@/lib/mcp/errors";
import { createRedactor, credentialValues, redactValue } from "@/lib/mcp/redact";
import { legacySession, type McpEra, type McpSession } from "@/lib/mcp/session";
import { summarizeTool, type CatalogueFields } from "./pooled-tool";
import { limitResponses, type ResponseLimits } from "@/lib/mcp/response-limits";
import { getDefaultGuardedFetch } from "@/lib/net/egress";
import { detectInsufficientScope } from "@/lib/oauth/step-up";

export {
  classifyMcpError,
  McpConnectionError,
  type ClassifyContext,
  type McpErrorCode,
  type McpErrorInfo,
} from "@/lib/mcp/errors";
export type { McpEraMemory } from "@/lib/mcp/client-2026";
export type { McpEra, McpSession } from "@/lib/mcp/session";

export type McpTransportKind = "streamable_http" | "sse";

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
export const MAX_LISTED_TOOLS = 1000;

const DEFAULT_CLIENT_INFO: Implementation = { name: "toolgate", version: "1.0.0" };
// Ending a session is a courtesy to the server; a slow one must not hold up the caller.
const TERMINATE_SESSION_TIMEOUT_MS = 2_000;

// ---------------------------------------------------------------------------
// Connecting

export interface McpServerInfo {
  name: string;
  version: string;
  title?: string;
}

export interface ConnectMcpOptions {
  url: string | URL;
  transport: McpTransportKind;
  /** Sent on every request; each name also counts as a credential for the egress guard. */
  headers?: Record<string, string>;
  /** Defaults to the shared guarded fetch (EGRESS_ALLOWLIST). */
  fetch?: typeof fetch;
  /** Bounds the whole connect + initialize handshake. */
  connectTimeoutMs?: number;
  signal?: AbortSignal;
  clientInfo?: { name: string; version: string };
  /** Byte and time bounds on every response body (defaults in response-limits.ts). */
  responseLimits?: ResponseLimits;
  /**
   * The era this server spoke last time (McpConnection.eraMemory): a modern one is adopted
   * without a probe, a legacy one goes straight to `initialize`. Absent: probe. Ignored for
   * `transport: "sse"`, which is always the 2025-03-26 wire.
   */
  prior?: McpEraMemory;
}

export interface McpConnection {
  client: McpSession;
  /** "modern": MCP 2026-07-28 (2.x SDK); "legacy": 2025-11-25 or older (1.x SDK). */
  era: McpEra;
  protocolVersion: string | undefined;
  /** What to pass as `prior` when connecting to this server again. */
  eraMemory: McpEraMemory;
  serverInfo?: McpServerInfo;
  /** Ends the session (best effort) and closes the transport; safe to call twice. */
  close(): Promise<void>;
}

// RFC 9110 token; CR, LF and NUL in a value would split or end the header block.
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const BAD_HEADER_VALUE = /[\r\n\0]/;

function invalidConfig(message: string): McpConnectionError {
  return new McpConnectionError({ code: "mcp.invalid_config", message });
}

function parseServerUrl(input: string | URL): URL {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw invalidConfig("The MCP server URL is not a valid URL.");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw invalidConfig("The MCP server URL must use http or https.");
  }
  if (url.username !== "" || url.password !== "") {
    throw invalidConfig("The MCP server URL must not contain credentials; use a header instead.");
  }
  return url;
}

function checkHeaders(headers: Record<string, string>): void {
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name)) throw invalidConfig("A configured header has an invalid name.");
    // Names only: the value may be a secret.
    if (BAD_HEADER_VALUE.test(value)) {
      throw invalidConfig(`The value of header ${name} contains a line break or NUL.`);
    }
  }
}

function toServerInfo(implementation: Implementation | undefined): McpServerInfo | undefined {
  if (implementation === undefined) return undefined;
  return {
    name: implementation.name,
    version: implementation.version,
    ...(implementation.title !== undefined && { title: implementation.title }),
  };
}

/** Resolves when `promise` settles or after `ms`, whichever comes first; never rejects. */
async function settleWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      promise.then(
        () => undefined,
        () => undefined,
      ),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Connects to an MCP server within `connectTimeoutMs`: over Streamable HTTP the 2.x SDK probes
 * with `server/discover` (skipped when `prior` tells the era) and a 2026-07-28 server is spoken
 * to with it; any other server, and every `transport: "sse"` one, gets the 1.x SDK's
 * `initialize` handshake. Every request goes through the guarded fetch. On failure everything
 * is closed and an McpConnectionError with a classified code is thrown.
 */
export async function connectMcp(options: ConnectMcpOptions): Promise<McpConnection> {
  const url = parseServerUrl(options.url);
  const headers = options.headers ?? {};
  checkHeaders(headers);
  const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  if (!Number.isFinite(connectTimeoutMs) || connectTimeoutMs <= 0) {
    throw invalidConfig("The connect timeout must be a positive number of milliseconds.");
  }
  const context: ClassifyContext = { url, sentCredentials: Object.keys(headers).length > 0 };
  const label = serverLabel(url);
  if (options.signal?.aborted) {
    throw new McpConnectionError(
      { code: "mcp.cancelled", message: `Connecting to the ${label} was cancelled.` },
      { cause: options.signal.reason },
    );
  }

  const baseFetch: FetchLike = limitResponses(
    options.fetch ?? getDefaultGuardedFetch({ credentialHeaders: Object.keys(headers) }),
    options.responseLimits,
  );
  // The SSE transport's EventSource reduces a failed fetch to a message string, losing the
  // EgressError or errno behind it; keeping the first failure here recovers it. Responses are
  // kept so a body the SDK leaves unread on failure can be released with its socket.
  let connecting = true;
  let fetchFailure: unknown;
  const responses: Response[] = [];
  const fetchFn: FetchLike = async (input, init) => {
    try {
      const response = await detectInsufficientScope(baseFetch)(input, init);
      if (connecting) responses.push(response);
      return response;
    } catch (error) {
      if (connecting) fetchFailure ??= error;
      throw error;
    }
  };

  let stopped: "timeout" | "cancelled" | undefined;
  let stop: (reason: "timeout" | "cancelled") => void = () => {};
  const stoppedEarly = new Promise<never>((_, reject) => {
    stop = (reason) => {
      stopped ??= reason;
      reject(new Error(reason));
    };
  });
  const timer = setTimeout(() => stop("timeout"), connectTimeoutMs);
  const onAbort = () => stop("cancelled");
  options.signal?.addEventListener("abort", onAbort, { once: true });

  const clientInfo = options.clientInfo ?? DEFAULT_CLIENT_INFO;
  const sdkTimeoutMs = connectTimeoutMs + 1_000;
  // Closes whichever transport is being connected when the attempt fails or runs out of time.
  let closeTransport: () => Promise<void> = async () => {};
  const connect = async (): Promise<Omit<McpConnection, "serverInfo" | "close">> => {
    if (options.transport === "streamable_http" && options.prior?.era !== "legacy") {
      const modern = await connectModern({
        url,
        headers,
        fetch: fetchFn,
        clientInfo,
        timeoutMs: sdkTimeoutMs,
        ...(options.prior?.era === "modern" && { prior: options.prior }),
        onTransport: (close) => (closeTransport = close),
      });
      if (modern.era === "modern") {
        return {
          client: modern.session,
          era: "modern",
          protocolVersion: modern.protocolVersion,
          eraMemory: { era: "modern", discover: modern.discover },
        };
      }
    }
    // Same-origin: the SDK follows a redirect only within the server's origin, each hop
    // through fetchFn, so the guard still sees every destination.
    const transportOptions = {
      fetch: fetchFn,
      requestInit: { headers },
      redirectPolicy: "same-origin" as const,
    };
    const transport =
      options.transport === "sse"
        ? new SSEClientTransport(url, transportOptions)
        : new StreamableHTTPClientTransport(url, transportOptions);
    closeTransport = () => transport.close();
    // Servers on this wire may ask the member for input during a call (elicitation).
    const client = new Client(clientInfo, {
      capabilities: { ...ELICITATION_CAPABILITY },
      // Results are checked per call by toolgate (lib/mcp/output-validation.ts), not per listing.
      jsonSchemaValidator: sdkOutputValidationOff,
    });
    acceptElicitations(client);
    // No signal for initialize: aborting it would make the SDK send notifications/cancelled,
    // which the spec forbids for initialize and which would dial the server once more.
    // Closing the transport is what ends the requests. The SDK timeout is a backstop.
    await client.connect(transport, { timeout: sdkTimeoutMs });
    const session = legacySession(client);
    const close = session.close;
    session.close = async () => {
      if (transport instanceof StreamableHTTPClientTransport && transport.sessionId !== undefined) {
        await settleWithin(transport.terminateSession(), TERMINATE_SESSION_TIMEOUT_MS);
      }
      await close();
    };
    return {
      client: session,
      era: "legacy",
      // The SSE transport keeps it to itself; it is 2024-11-05 or 2025-03-26 there.
      protocolVersion:
        transport instanceof StreamableHTTPClientTransport ? transport.protocolVersion : undefined,
      eraMemory: { era: "legacy" },
    };
  };

  let connected: Omit<McpConnection, "serverInfo" | "close">;
  try {
    connected = await Promise.race([connect(), stoppedEarly]);
  } catch (error) {
    const info: McpErrorInfo =
      stopped === "timeout"
        ? {
            code: "mcp.timeout",
            message: `The ${label} did not complete the MCP handshake within ${connectTimeoutMs} ms.`,
          }
        : stopped === "cancelled"
          ? {
              code: "mcp.cancelled",
              message: `Connecting to the ${label} was cancelled.`,
            }
          : classifyMcpError(fetchFailure ?? error, context);
    await closeAfterFailure(closeTransport, responses);
    throw new McpConnectionError(info, { cause: fetchFailure ?? error });
  } finally {
    connecting = false;
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", onAbort);
  }
  responses.length = 0;

  let closed = false;
  return {
    ...connected,
    serverInfo: toServerInfo(connected.client.getServerVersion()),
    close: async () => {
      if (closed) return;
      closed = true;
      await connected.client.close();
    },
  };
}

async function closeAfterFailure(
  closeTransport: () => Promise<void>,
  responses: readonly Response[],
): Promise<void> {
  // Closing the transport aborts in-flight requests, stops EventSource reconnects and, through
  // the Client's onclose hook, clears the SDK's request timers.
  await settleWithin(closeTransport(), 1_000);
  for (const response of responses) {
    const body = response.body;
    if (body === null || body.locked) continue;
    // An error body the EventSource rejected is never read; cancelling frees its socket.
    await settleWithin(body.cancel(), 1_000);
  }
}

// ---------------------------------------------------------------------------
// Listing tools

export interface ListAllToolsOptions {
  /** Bounds the whole listing, every page included. */
  timeoutMs?: number;
  maxTools?: number;
  signal?: AbortSignal;
}

export interface ListedTools {
  tools: Tool[];
  /** True when the server had more than maxTools (or more pages than can be followed). */
  truncated: boolean;
}

/** All tools of a connected server, following `nextCursor`, capped at maxTools. */
export async function listAllTools(
  client: McpSession,
  options: ListAllToolsOptions = {},
): Promise<ListedTools> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const maxTools = options.maxTools ?? MAX_LISTED_TOOLS;
  const deadline = Date.now() + timeoutMs;
  const tools: Tool[] = [];
  const seenCursors = new Set<string>();
  let cursor: string | undefined;

  // A page may be empty, so the page count needs its own bound besides maxTools.
  for (let page = 0; page <= maxTools; page += 1) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      throw new McpConnectionError({
        code: "mcp.timeout",
        message: `Listing the server's tools took longer than ${timeoutMs} ms.`,
      });
    }
    let result: Awaited<ReturnType<McpSession["listTools"]>>;
    try {
      result = await client.listTools(cursor === undefined ? undefined : { cursor }, {
        timeout: remaining,
        ...(options.signal !== undefined && { signal: options.signal }),
      });
    } catch (error) {
      // The SDK turns an abort into a RequestTimeout McpError; report what really happened.
      if (options.signal?.aborted) throw options.signal.reason;
      throw error;
    }
    for (const tool of result.tools) {
      if (tools.length === maxTools) return { tools, truncated: true };
      tools.push(tool);
    }
    const next = result.nextCursor;
    if (next === undefined) return { tools, truncated: false };
    if (tools.length === maxTools) return { tools, truncated: true };
    if (seenCursors.has(next)) {
      throw new McpConnectionError({
        code: "mcp.protocol_error",
        message: "The server repeated a pagination cursor while listing tools.",
      });
    }
    seenCursors.add(next);
    cursor = next;
  }
  return { tools, truncated: true };
}

// ---------------------------------------------------------------------------
// Connection test (admin "Test connection")

export interface McpToolSummary extends CatalogueFields {
  name: string;
  description?: string;
  annotations?: ToolAnnotations;
  inputSchema: Tool["inputSchema"];
}

export type McpConnectionTestResult =
  | {
      ok: true;
      latencyMs: number;
      serverInfo: McpServerInfo | undefined;
      tools: McpToolSummary[];
      toolsTruncated: boolean;
    }
  | { ok: false; latencyMs: number; error: McpErrorInfo };

export interface TestMcpConnectionOptions {
  url: string | URL;
  transport: McpTransportKind;
  headers?: Record<string, string>;
  fetch?: typeof fetch;
  /** Bounds the handshake, and separately the tool listing. */
  connectTimeoutMs?: number;
}

/**
 * Connects, lists the tools and disconnects. Never throws for connection problems: they come
 * back as `{ ok: false, error }` with a classified code.
 */
export async function testMcpConnection(
  options: TestMcpConnectionOptions,
): Promise<McpConnectionTestResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const context: ClassifyContext = {
    url: options.url,
    sentCredentials: Object.keys(options.headers ?? {}).length > 0,
  };
  let connection: McpConnection;
  try {
    connection = await connectMcp({
      url: options.url,
      transport: options.transport,
      ...(options.headers !== undefined && { headers: options.headers }),
      ...(options.fetch !== undefined && { fetch: options.fetch }),
      connectTimeoutMs,
    });
  } catch (error) {
    return { ok: false, latencyMs: elapsed(), error: classifyMcpError(error, context) };
  }
  try {
    const listed = await listAllTools(connection.client, { timeoutMs: connectTimeoutMs });
    // Every header here authenticates (the test sends no identity headers): a listing that
    // echoes one must not show it to the admin's screen either.
    const redactor = createRedactor(credentialValues(options.headers ?? {}));
    return {
      ok: true,
      latencyMs: elapsed(),
      serverInfo: connection.serverInfo,
      // Capped like the model's copy (the pool's), so the catalogue hashes the same text.
      tools: (redactValue(listed.tools, redactor) as Tool[]).map(summarizeTool),
      toolsTruncated: listed.truncated,
    };
  } catch (error) {
    return { ok: false, latencyMs: elapsed(), error: classifyMcpError(error, context) };
  } finally {
    await connection.close();
  }
}
