import "server-only";
import { UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport, SseError } from "@modelcontextprotocol/sdk/client/sse.js";
import {
  StreamableHTTPClientTransport,
  StreamableHTTPError,
} from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { FetchLike } from "@modelcontextprotocol/sdk/shared/transport.js";
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import type { Implementation, Tool, ToolAnnotations } from "@modelcontextprotocol/sdk/types.js";

import { createRedactor, credentialValues, redactValue } from "@/lib/mcp/redact";
import { summarizeTool, type CatalogueFields } from "./pooled-tool";
import { sdkOutputValidationOff } from "./output-validation";
import {
  limitResponses,
  McpResponseLimitError,
  type ResponseLimits,
} from "@/lib/mcp/response-limits";
import { findEgressError, getDefaultGuardedFetch, type EgressErrorCode } from "@/lib/net/egress";
import { detectInsufficientScope } from "@/lib/oauth/step-up";

export type McpTransportKind = "streamable_http" | "sse";

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
export const MAX_LISTED_TOOLS = 1000;

const DEFAULT_CLIENT_INFO: Implementation = { name: "toolgate", version: "1.0.0" };
// Ending a session is a courtesy to the server; a slow one must not hold up the caller.
const TERMINATE_SESSION_TIMEOUT_MS = 2_000;

export type McpErrorCode =
  | EgressErrorCode
  | "mcp.auth_required"
  | "mcp.unreachable"
  | "mcp.timeout"
  | "mcp.not_mcp_server"
  | "mcp.protocol_error"
  | "mcp.cancelled"
  | "mcp.invalid_config"
  | "mcp.response_too_large";

/** A stable code and a message fit for an admin: hosts only, never bodies, paths or header values. */
export interface McpErrorInfo {
  code: McpErrorCode;
  message: string;
}

/** What connectMcp and listAllTools throw: already classified, the SDK's error as `cause`. */
export class McpConnectionError extends Error {
  override readonly name = "McpConnectionError";
  readonly code: McpErrorCode;

  constructor(info: McpErrorInfo, options?: { cause?: unknown }) {
    super(info.message, options);
    this.code = info.code;
  }
}

// ---------------------------------------------------------------------------
// Error classification

export interface ClassifyContext {
  /** The server URL; only its host is ever shown. */
  url?: string | URL;
  /** Whether the request carried credential headers; picks the wording for a 401. */
  sentCredentials?: boolean;
}

const UNREACHABLE_CODES: Record<string, string> = {
  ECONNREFUSED: "the connection was refused",
  ECONNRESET: "the connection was reset",
  ECONNABORTED: "the connection was aborted",
  EPIPE: "the connection was closed",
  ENOTFOUND: "the host name could not be resolved",
  EAI_AGAIN: "the host name could not be resolved (temporary DNS failure)",
  EAI_NONAME: "the host name could not be resolved",
  EAI_NODATA: "the host name could not be resolved",
  EHOSTUNREACH: "the host is unreachable",
  ENETUNREACH: "the network is unreachable",
  EHOSTDOWN: "the host is down",
  UND_ERR_SOCKET: "the connection was closed unexpectedly",
  UND_ERR_CLOSED: "the connection was closed",
  CERT_HAS_EXPIRED: "its TLS certificate has expired",
  DEPTH_ZERO_SELF_SIGNED_CERT: "its TLS certificate is self-signed",
  SELF_SIGNED_CERT_IN_CHAIN: "its TLS certificate chain is self-signed",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "its TLS certificate could not be verified",
  ERR_TLS_CERT_ALTNAME_INVALID: "its TLS certificate does not match the host name",
};
const TIMEOUT_CODES = new Set([
  "ETIMEDOUT",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);
// The SSE transport's EventSource flattens a fetch failure into its message text.
const CODE_IN_TEXT = new RegExp(
  `\\b(${[...Object.keys(UNREACHABLE_CODES), ...TIMEOUT_CODES].join("|")})\\b`,
);

/** "MCP server at host:port", for "The …" and "the …" alike. */
function serverLabel(url: string | URL | undefined): string {
  if (url === undefined) return "MCP server";
  try {
    return `MCP server at ${new URL(url).host}`;
  } catch {
    return "MCP server";
  }
}

/** Errors along the cause chain, AggregateError members included (happy eyeballs tries several addresses). */
function errorChain(error: unknown): unknown[] {
  const found: unknown[] = [];
  const queue: unknown[] = [error];
  while (queue.length > 0 && found.length < 16) {
    const current = queue.shift();
    if (current == null || found.includes(current)) continue;
    found.push(current);
    if (typeof current !== "object") continue;
    const { cause, errors } = current as { cause?: unknown; errors?: unknown };
    if (cause !== undefined) queue.push(cause);
    if (Array.isArray(errors)) queue.push(...(errors as unknown[]));
  }
  return found;
}

function networkCodeOf(error: unknown): string | undefined {
  const chain = errorChain(error);
  for (const item of chain) {
    const code = (item as { code?: unknown } | null)?.code;
    if (typeof code === "string" && (code in UNREACHABLE_CODES || TIMEOUT_CODES.has(code))) {
      return code;
    }
  }
  for (const item of chain) {
    if (item instanceof SseError && item.code === undefined) {
      const match = CODE_IN_TEXT.exec(item.message);
      if (match?.[1] !== undefined) return match[1];
    }
  }
  return undefined;
}

function httpStatusOf(error: unknown): number | undefined {
  if (error instanceof StreamableHTTPError || error instanceof SseError) return error.code;
  // SSEClientTransport.send throws a plain Error for a failed POST to the message endpoint.
  if (error instanceof Error && error.message.startsWith("Error POSTing to endpoint (HTTP ")) {
    const status = Number(/\(HTTP (\d{3})\)/.exec(error.message)?.[1]);
    return Number.isInteger(status) ? status : undefined;
  }
  return undefined;
}

function classifyStatus(status: number, who: string, context: ClassifyContext): McpErrorInfo {
  if (status === 401) {
    return {
      code: "mcp.auth_required",
      message: context.sentCredentials
        ? `${who} rejected the credentials (HTTP 401). Check the configured token or API key.`
        : `${who} requires authentication (HTTP 401). Configure credentials for it.`,
    };
  }
  if (status === 403) {
    return {
      code: "mcp.auth_required",
      message: `${who} refused access (HTTP 403): the credentials were rejected or lack the needed permission.`,
    };
  }
  if (status >= 300 && status < 400) {
    return {
      code: "egress.redirect_not_allowed",
      message: `${who} redirected to another origin (HTTP ${status}); only same-origin redirects are followed. Use the final URL.`,
    };
  }
  if (status === 404 || status === 405) {
    return {
      code: "mcp.not_mcp_server",
      message: `${who} has no MCP endpoint at this URL (HTTP ${status}). Check the path and the transport type.`,
    };
  }
  if (status === -1 || (status >= 200 && status < 300)) {
    return {
      code: "mcp.not_mcp_server",
      message: `${who} answered, but not with an MCP response (wrong content type). Check the URL and the transport type.`,
    };
  }
  if (status === 502 || status === 503 || status === 504) {
    return {
      code: "mcp.unreachable",
      message: `${who} is unavailable (HTTP ${status} from the server or a proxy in front of it).`,
    };
  }
  if (status === 408) {
    return { code: "mcp.timeout", message: `${who} timed out the request (HTTP 408).` };
  }
  return { code: "mcp.protocol_error", message: `${who} answered with HTTP ${status}.` };
}

function isZodError(
  error: unknown,
): error is { issues: Array<{ code?: unknown; path?: unknown }> } {
  return (
    error instanceof Error &&
    error.name === "ZodError" &&
    Array.isArray((error as { issues?: unknown }).issues)
  );
}

/**
 * Maps anything the MCP SDK, the egress guard or the network throws to a stable code and a
 * message that is safe to show and store: it never echoes upstream bodies or header values.
 */
export function classifyMcpError(error: unknown, context: ClassifyContext = {}): McpErrorInfo {
  if (error instanceof McpConnectionError) return { code: error.code, message: error.message };

  // The guard's messages name hosts and addresses only, by design.
  const egress = findEgressError(error);
  if (egress !== undefined) return { code: egress.code, message: egress.message };

  const who = `The ${serverLabel(context.url)}`;
  const limited = errorChain(error).find((item) => item instanceof McpResponseLimitError);
  if (limited instanceof McpResponseLimitError) {
    return limited.kind === "too_large"
      ? {
          code: "mcp.response_too_large",
          message: `${who} sent a response larger than ${limited.limit} bytes; it was cut off.`,
        }
      : {
          code: "mcp.timeout",
          message: `${who} was still sending its response after ${limited.limit} ms; it was cut off.`,
        };
  }
  const status = httpStatusOf(error);
  if (status !== undefined) return classifyStatus(status, who, context);

  if (error instanceof UnauthorizedError) {
    return { code: "mcp.auth_required", message: `${who} requires authentication.` };
  }

  const networkCode = networkCodeOf(error);
  if (networkCode !== undefined && TIMEOUT_CODES.has(networkCode)) {
    return { code: "mcp.timeout", message: `${who} did not respond in time (${networkCode}).` };
  }
  if (networkCode !== undefined) {
    return {
      code: "mcp.unreachable",
      message: `${who} could not be reached: ${UNREACHABLE_CODES[networkCode]} (${networkCode}).`,
    };
  }

  const chain = errorChain(error);
  // The fetch standard's blocked ports (1, 22, 25, ...): undici refuses them without dialling.
  if (chain.some((item) => item instanceof Error && item.message === "bad port")) {
    return {
      code: "mcp.invalid_config",
      message: `${who} uses a port that HTTP clients refuse (it belongs to another protocol).`,
    };
  }
  if (chain.some((item) => item instanceof TypeError && item.message === "fetch failed")) {
    return { code: "mcp.unreachable", message: `${who} could not be reached (network error).` };
  }

  const name = error instanceof Error ? error.name : undefined;
  if (name === "TimeoutError") {
    return { code: "mcp.timeout", message: `${who} did not respond in time.` };
  }
  if (name === "AbortError") {
    return {
      code: "mcp.cancelled",
      message: `The request to the ${serverLabel(context.url)} was cancelled.`,
    };
  }

  if (error instanceof McpError) {
    if (error.code === ErrorCode.RequestTimeout) {
      return { code: "mcp.timeout", message: `${who} did not answer the request in time.` };
    }
    if (error.code === ErrorCode.ConnectionClosed) {
      return { code: "mcp.unreachable", message: `${who} closed the connection.` };
    }
    return {
      code: "mcp.protocol_error",
      message: `${who} returned a JSON-RPC error (code ${error.code}).`,
    };
  }

  if (isZodError(error)) {
    // A root-level union failure means the body was not a JSON-RPC message at all; any other
    // issue means a JSON-RPC result that does not fit the MCP schema.
    const notJsonRpc = error.issues.some(
      (issue) =>
        issue.code === "invalid_union" && Array.isArray(issue.path) && issue.path.length === 0,
    );
    return notJsonRpc
      ? {
          code: "mcp.not_mcp_server",
          message: `${who} answered with JSON that is not JSON-RPC. Check the URL and the transport type.`,
        }
      : {
          code: "mcp.protocol_error",
          message: `${who} returned a result that does not match the MCP schema.`,
        };
  }
  if (error instanceof SyntaxError) {
    return {
      code: "mcp.not_mcp_server",
      message: `${who} answered with a body that is not valid JSON. Check the URL and the transport type.`,
    };
  }
  if (error instanceof Error) {
    if (error.message.startsWith("Server's protocol version is not supported")) {
      return {
        code: "mcp.protocol_error",
        message: `${who} uses an MCP protocol version this client does not support.`,
      };
    }
    if (error.message.startsWith("Endpoint origin does not match connection origin")) {
      return {
        code: "mcp.protocol_error",
        message: `${who} named an SSE message endpoint on another origin; refused.`,
      };
    }
  }
  return { code: "mcp.protocol_error", message: `${who} failed with an unexpected error.` };
}

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
}

export interface McpConnection {
  client: Client;
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
 * Connects an SDK Client over Streamable HTTP or SSE and completes the initialize handshake
 * within `connectTimeoutMs`. Every request goes through the guarded fetch. On failure
 * everything is closed and an McpConnectionError with a classified code is thrown.
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

  // Same-origin: the SDK follows a redirect only within the server's origin, each hop through
  // fetchFn, so the guard still sees every destination.
  const transportOptions = {
    fetch: fetchFn,
    requestInit: { headers },
    redirectPolicy: "same-origin" as const,
  };
  const transport =
    options.transport === "sse"
      ? new SSEClientTransport(url, transportOptions)
      : new StreamableHTTPClientTransport(url, transportOptions);
  const client = new Client(options.clientInfo ?? DEFAULT_CLIENT_INFO, {
    capabilities: {},
    // Results are checked per call by toolgate (lib/mcp/output-validation.ts), not per listing.
    jsonSchemaValidator: sdkOutputValidationOff,
  });

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

  try {
    // No signal for initialize: aborting it would make the SDK send notifications/cancelled,
    // which the spec forbids for initialize and which would dial the server once more.
    // Closing the transport below is what ends the requests. The SDK timeout is a backstop.
    await Promise.race([
      client.connect(transport, { timeout: connectTimeoutMs + 1_000 }),
      stoppedEarly,
    ]);
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
    await closeAfterFailure(transport, responses);
    throw new McpConnectionError(info, { cause: fetchFailure ?? error });
  } finally {
    connecting = false;
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", onAbort);
  }
  responses.length = 0;

  let closed = false;
  return {
    client,
    serverInfo: toServerInfo(client.getServerVersion()),
    close: async () => {
      if (closed) return;
      closed = true;
      if (transport instanceof StreamableHTTPClientTransport && transport.sessionId !== undefined) {
        await settleWithin(transport.terminateSession(), TERMINATE_SESSION_TIMEOUT_MS);
      }
      await client.close();
    },
  };
}

async function closeAfterFailure(
  transport: StreamableHTTPClientTransport | SSEClientTransport,
  responses: readonly Response[],
): Promise<void> {
  // transport.close() aborts in-flight requests, stops EventSource reconnects and, through
  // the Client's onclose hook, clears the SDK's request timers.
  await settleWithin(transport.close(), 1_000);
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
  client: Client,
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
    let result: Awaited<ReturnType<Client["listTools"]>>;
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
