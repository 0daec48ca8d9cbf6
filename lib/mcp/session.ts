// The part of an MCP client toolgate uses (McpSession), over either SDK: the 1.x Client for
// 2025-11-25 and the 2025-03-26 HTTP+SSE transport, the 2.x Client for 2026-07-28. Results
// are the same JSON on both wires; they are handed on with the 1.x types the rest of toolgate
// uses. Errors of the 2.x SDK that the pool reasons about (a JSON-RPC error, a closed
// connection, a timeout) become their 1.x counterparts, the original kept as `cause`.
import {
  MissingRequiredClientCapabilityError,
  ProtocolError,
  SdkError,
  SdkErrorCode,
  type Client as ModernClient,
  type Tool as ModernTool,
} from "@modelcontextprotocol/client";
import type { Client as LegacyClient } from "@modelcontextprotocol/sdk/client/index.js";
import { trackElicitationCall } from "@/lib/mcp/elicitation-scope";
import {
  fulfilInputRequired,
  isInputRequired,
  McpInputRequiredError,
  type RetryParams,
} from "@/lib/mcp/input-required";
import {
  CallToolResultSchema,
  ErrorCode,
  McpError,
  ToolListChangedNotificationSchema,
} from "@modelcontextprotocol/sdk/types.js";
import type {
  CallToolResult,
  Implementation,
  ListToolsResult,
  Progress,
} from "@modelcontextprotocol/sdk/types.js";

export type McpEra = "modern" | "legacy";

export interface McpRequestOptions {
  signal?: AbortSignal;
  /** The SDK's own request timeout, in ms (a backstop behind the caller's). */
  timeout?: number;
  /** Progress notifications of this request (the SDK then sends a progress token). */
  onprogress?: (progress: Progress) => void;
}

/** The listed definition of a tool, as far as a call needs it. */
export interface McpToolDefinitionRef {
  name: string;
  inputSchema: Record<string, unknown>;
  outputSchema?: Record<string, unknown>;
}

export interface McpCallOptions extends McpRequestOptions {
  /**
   * The tool's definition from a listing the caller holds (the pool's, the turn's), used
   * when this connection has not listed it itself: on the 2026-07-28 wire the SDK mirrors the
   * arguments its `x-mcp-header` properties name into `Mcp-Param-*` headers from it.
   */
  definition?: McpToolDefinitionRef;
}

export interface McpSession {
  callTool(
    params: { name: string; arguments?: Record<string, unknown> },
    options?: McpCallOptions,
  ): Promise<CallToolResult>;
  /** One page when `cursor` is given; without it, the first page (legacy) or all pages (modern). */
  listTools(params?: { cursor?: string }, options?: McpRequestOptions): Promise<ListToolsResult>;
  /** Called on `notifications/tools/list_changed`. */
  onToolListChanged(handler: () => void): void;
  /** The transport closed (for whatever reason). */
  onclose: (() => void) | undefined;
  /** An error outside any request (e.g. a broken event stream). */
  onerror: ((error: Error) => void) | undefined;
  getServerVersion(): Implementation | undefined;
  close(): Promise<void>;
}

export function legacySession(client: LegacyClient): McpSession {
  return {
    async callTool(params, callOptions) {
      // The 2025 wires have no per-parameter headers: the definition is not needed.
      const { definition: _unused, ...options } = callOptions ?? {};
      // Marks the call as in progress on this client, so a server's question on a shared
      // stream can still find it (lib/mcp/elicitation-scope.ts).
      // A plain request rather than client.callTool, whose output-schema check would throw a
      // protocol error: results are checked one call at a time (lib/mcp/output-validation.ts).
      return (await trackElicitationCall(client, () =>
        client.request({ method: "tools/call", params }, CallToolResultSchema, options),
      )) as CallToolResult;
    },
    listTools: (params, options) => client.listTools(params, options),
    onToolListChanged(handler) {
      client.setNotificationHandler(ToolListChangedNotificationSchema, handler);
    },
    get onclose() {
      return client.onclose;
    },
    set onclose(handler) {
      client.onclose = handler;
    },
    get onerror() {
      return client.onerror;
    },
    set onerror(handler) {
      client.onerror = handler;
    },
    getServerVersion: () => client.getServerVersion(),
    close: () => client.close(),
  };
}

/** The 2.x SDK's errors the pool tells apart, as the 1.x errors it knows. */
export function toLegacyError(error: unknown): unknown {
  let mapped: Error | undefined;
  if (error instanceof ProtocolError) {
    mapped = new McpError(error.code, error.message, error.data);
  } else if (error instanceof SdkError) {
    if (error.code === SdkErrorCode.ConnectionClosed) {
      mapped = new McpError(ErrorCode.ConnectionClosed, error.message);
    } else if (error.code === SdkErrorCode.RequestTimeout) {
      mapped = new McpError(ErrorCode.RequestTimeout, error.message);
    } else if (error.code === SdkErrorCode.NotConnected) {
      mapped = new Error("Not connected");
    }
  }
  if (mapped === undefined) return error;
  Object.defineProperty(mapped, "cause", { value: error, enumerable: false });
  return mapped;
}

export function modernSession(client: ModernClient): McpSession {
  // The last full listing of this connection (one server, one set of credentials): the tool
  // definitions the SDK wants for `Mcp-Param-*` header mirroring and output-schema checks,
  // which it would otherwise look up in its response cache (kept empty, see client-2026.ts).
  let tools = new Map<string, ModernTool>();
  return {
    async callTool(params, callOptions) {
      const { definition: given, ...options } = callOptions ?? {};
      // This connection's own listing first; else the caller's (a connection dialled after
      // the listing it calls from, e.g. a reconnect between a turn's listing and its call).
      const definition =
        tools.get(params.name) ??
        (given?.name === params.name ? (given as unknown as ModernTool) : undefined);
      // Each leg is a fresh request; an input_required answer comes back as a value.
      const leg = async (retry: RetryParams) =>
        (await client.callTool({ ...params, ...retry } as typeof params, {
          ...options,
          allowInputRequired: true,
          ...(definition !== undefined && { toolDefinition: definition }),
        })) as Record<string, unknown>;
      try {
        let result = await leg({});
        if (isInputRequired(result)) {
          // The server needs the user's input: asked, then called again (input-required.ts).
          result = await fulfilInputRequired(params.name, result, leg, options.signal);
        }
        return result as CallToolResult;
      } catch (error) {
        // toolgate declares elicitation only, so a server that needs sampling or roots
        // answers -32021 (missing client capability) instead of input_required.
        if (error instanceof MissingRequiredClientCapabilityError) {
          const wanted = Object.keys(error.requiredCapabilities).map((name) => name.slice(0, 64));
          throw new McpInputRequiredError(params.name, wanted);
        }
        throw toLegacyError(error);
      }
    },
    async listTools(params, options) {
      try {
        if (params?.cursor !== undefined) {
          return (await client.listTools(params, options)) as ListToolsResult;
        }
        const all = await client.listTools(undefined, { ...options, cacheMode: "bypass" });
        tools = new Map(all.tools.map((tool) => [tool.name, tool]));
        return all as ListToolsResult;
      } catch (error) {
        throw toLegacyError(error);
      }
    },
    onToolListChanged(handler) {
      client.setNotificationHandler("notifications/tools/list_changed", handler);
    },
    get onclose() {
      return client.onclose;
    },
    set onclose(handler) {
      client.onclose = handler;
    },
    get onerror() {
      return client.onerror;
    },
    set onerror(handler) {
      client.onerror = handler;
    },
    getServerVersion: () => client.getServerVersion(),
    close: () => client.close(),
  };
}
