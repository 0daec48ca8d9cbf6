// Classifying what connecting to or talking with an MCP server throws (the 1.x SDK, the 2.x
// SDK, the egress guard, the network) into a stable code and a message fit for an admin.
import { UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";
import { SseError } from "@modelcontextprotocol/sdk/client/sse.js";
import { StreamableHTTPError } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";

import { classifyModernError, modernHttpStatusOf, negotiationCauseOf } from "@/lib/mcp/errors-2026";
import { McpResponseLimitError } from "@/lib/mcp/response-limits";
import { findEgressError, type EgressErrorCode } from "@/lib/net/egress";

export type McpErrorCode =
  | EgressErrorCode
  | "mcp.auth_required"
  | "mcp.unreachable"
  | "mcp.timeout"
  | "mcp.not_mcp_server"
  | "mcp.protocol_error"
  | "mcp.cancelled"
  | "mcp.invalid_config"
  | "mcp.response_too_large"
  | "mcp.input_required";

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
export function serverLabel(url: string | URL | undefined): string {
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
  const modern = modernHttpStatusOf(error);
  if (modern !== undefined) return modern;
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

  const negotiation = negotiationCauseOf(error);
  if (negotiation !== undefined && negotiation !== error) {
    return classifyMcpError(negotiation, context);
  }
  const modern = classifyModernError(error, who);
  if (modern !== undefined) return modern;

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
