// What the 2.x SDK (@modelcontextprotocol/client, the 2026-07-28 wire) throws, mapped to the
// same codes as its 1.x counterparts (errors.ts calls these before its own 1.x rules).
import {
  ProtocolError,
  SdkError,
  SdkErrorCode,
  SdkHttpError,
  UnauthorizedError,
  UnsupportedProtocolVersionError,
} from "@modelcontextprotocol/client";

type ModernErrorInfo = {
  code:
    | "mcp.auth_required"
    | "mcp.unreachable"
    | "mcp.timeout"
    | "mcp.not_mcp_server"
    | "mcp.protocol_error";
  message: string;
};

/** The HTTP status a 2.x transport error carries (its SdkHttpError), if any. */
export function modernHttpStatusOf(error: unknown): number | undefined {
  return error instanceof SdkHttpError ? error.status : undefined;
}

/**
 * What made the `server/discover` probe fail, when the 2.x SDK wrapped it in its "version
 * negotiation failed" error (a non-MCP reply, a schema mismatch): classified like any other.
 */
export function negotiationCauseOf(error: unknown): unknown {
  if (!(error instanceof SdkError) || error.code !== SdkErrorCode.EraNegotiationFailed) {
    return undefined;
  }
  return error.cause ?? (error.data as { cause?: unknown } | undefined)?.cause;
}

/** `who` reads "The MCP server at host". Undefined for anything that is not a 2.x SDK error. */
export function classifyModernError(error: unknown, who: string): ModernErrorInfo | undefined {
  if (error instanceof UnauthorizedError) {
    return { code: "mcp.auth_required", message: `${who} requires authentication.` };
  }
  if (error instanceof UnsupportedProtocolVersionError) {
    return {
      code: "mcp.protocol_error",
      message: `${who} uses an MCP protocol version this client does not support.`,
    };
  }
  if (error instanceof ProtocolError) {
    return {
      code: "mcp.protocol_error",
      message: `${who} returned a JSON-RPC error (code ${error.code}).`,
    };
  }
  if (!(error instanceof SdkError)) return undefined;
  switch (error.code) {
    case SdkErrorCode.RequestTimeout:
      return { code: "mcp.timeout", message: `${who} did not answer the request in time.` };
    case SdkErrorCode.ConnectionClosed:
      return { code: "mcp.unreachable", message: `${who} closed the connection.` };
    case SdkErrorCode.NotConnected:
    case SdkErrorCode.SendFailed:
      return { code: "mcp.unreachable", message: `${who} could not be sent the request.` };
    case SdkErrorCode.ClientHttpUnexpectedContent:
    case SdkErrorCode.ClientHttpNotImplemented:
      return {
        code: "mcp.not_mcp_server",
        message: `${who} answered, but not with an MCP response. Check the URL and the transport type.`,
      };
    case SdkErrorCode.ClientHttpAuthentication:
    case SdkErrorCode.ClientHttpForbidden:
      return { code: "mcp.auth_required", message: `${who} refused the credentials.` };
    case SdkErrorCode.EraNegotiationFailed:
      return {
        code: "mcp.protocol_error",
        message: `${who} did not settle on an MCP protocol version with this client.`,
      };
    case SdkErrorCode.InvalidResult:
      return {
        code: "mcp.protocol_error",
        message: `${who} returned a result that does not match the MCP schema.`,
      };
    case SdkErrorCode.ListPaginationExceeded:
      return {
        code: "mcp.protocol_error",
        message: `${who} kept paginating its tool list without end.`,
      };
    default:
      return {
        code: "mcp.protocol_error",
        message: `${who} failed with an unexpected error (${error.code}).`,
      };
  }
}
