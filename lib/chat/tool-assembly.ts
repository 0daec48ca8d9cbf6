import "server-only";
import { dynamicTool, jsonSchema, tool as defineTool, type ToolSet } from "ai";
import type { Executor } from "@/db/client";
import { findMcpServer, listMcpServers, type McpServerRow } from "@/db/queries/mcp-servers";
import type { ChatToolRow } from "@/lib/client/types";
import { authHeadersFor } from "@/lib/mcp-config/credentials";
import { serverPolicyOf } from "@/lib/mcp-config/policy-view";
import {
  getMcpPool,
  McpToolCallError,
  type McpEndpoint,
  type McpPool,
  type PooledTool,
} from "@/lib/mcp/pool";
import {
  capDescription,
  convertToolResult,
  modelFacingSchema,
  unwrapToolInput,
} from "@/lib/mcp/tool-adapter";
import { assignExposedNames } from "@/lib/mcp/tool-names";
import { decide, type ToolCandidate, type TurnPolicy } from "@/lib/policy/tool-policy";
import { builtinTools } from "./builtins/registry";
import type { BuiltinContext } from "./builtins/types";
import type { ToolOrigin } from "./parts";
import { PolicyDenied } from "./policy-denied";
import { assembleWorkspaceMcpTools } from "./workspace-mcp";

export interface Notice {
  code: string;
  detail: string;
  server_id?: string;
}

export interface TurnIdentity {
  userId: string;
  chatId: string;
  /** The root chat when this chat is a sub-agent's chat. */
  rootChatId: string;
  workspaceId: string | null;
}

export interface AssembledTools {
  /** Names of offered tools after which the turn ends (propose_plan, ask_user_question). */
  endsTurn: string[];
  tools: ToolSet;
  rows: ChatToolRow[];
  origins: Map<string, ToolOrigin>;
  notices: Notice[];
  /** Tool call ids the policy refused at execution time. */
  denied: Set<string>;
}

/** Identity headers (opt-in per server); an auth header of the same name always wins. */
function identityHeaders(id: TurnIdentity, auth: Record<string, string>): Record<string, string> {
  const wanted: Record<string, string | null> = {
    "X-Toolgate-User-Id": id.userId,
    "X-Toolgate-Chat-Id": id.rootChatId,
    "X-Toolgate-Subchat-Id": id.chatId === id.rootChatId ? null : id.chatId,
    "X-Toolgate-Workspace-Id": id.workspaceId,
  };
  const taken = new Set(Object.keys(auth).map((k) => k.toLowerCase()));
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(wanted)) {
    if (value && !taken.has(name.toLowerCase())) out[name] = value;
  }
  return out;
}

function noticeFor(row: McpServerRow, code: string, message: string): Notice {
  const unavailable =
    code.startsWith("egress.") || code === "mcp.auth_required" ? code : "mcp.server_unavailable";
  return { code: unavailable, detail: `${row.displayName}: ${message}`, server_id: row.id };
}

interface ServerTools {
  row: McpServerRow;
  endpoint: McpEndpoint;
  tools: PooledTool[];
}

/**
 * Gathers the MCP tools of a turn: the chat's selected servers plus every force_on server,
 * each connected through the pool with the owner's credentials, filtered by the one policy.
 * A server that cannot be used costs one notice, never the turn.
 */
export async function assembleMcpTools(
  db: Executor,
  opts: {
    identity: TurnIdentity;
    selectedServerIds: readonly string[];
    turn: Omit<TurnPolicy, "selectedServerIds">;
    /** List every enabled server (for the tools explainer), not only the turn's. */
    includeUnselected?: boolean;
    signal?: AbortSignal;
    /** Where a tool.denied notice goes while the turn runs. */
    onNotice?: (notice: Notice) => void;
    /** Whether the model accepts images in tool results (else they become text placeholders). */
    imageToolResults?: boolean;
    /** The connection pool; the process-wide one unless a benchmark brings its own. */
    pool?: McpPool;
    /** Built-in tools run with this context; without it (tools explainer) they are listed only. */
    builtinContext?: Omit<BuiltinContext, "toolCallId" | "signal">;
  },
): Promise<AssembledTools> {
  const selected = new Set(opts.selectedServerIds);
  const turn: TurnPolicy = { ...opts.turn, selectedServerIds: selected };
  const enabled = await listMcpServers(db, { enabledOnly: true });
  const inTurn = enabled.filter(
    (r) => opts.includeUnselected || r.availability === "force_on" || selected.has(r.id),
  );
  const pool = opts.pool ?? getMcpPool();
  const notices: Notice[] = [];
  const rows: ChatToolRow[] = [];

  const connected = await Promise.all(
    inTurn.map(async (row): Promise<ServerTools | null> => {
      const auth = await authHeadersFor(db, row, opts.identity.userId);
      if (!auth.ok) {
        notices.push(noticeFor(row, auth.code, auth.message));
        rows.push({
          name: `${row.slug}__*`,
          source: "mcp",
          server_id: row.id,
          available: false,
          reason: "auth_required",
        });
        return null;
      }
      const headers = {
        ...auth.headers,
        ...(row.forwardIdentityHeaders ? identityHeaders(opts.identity, auth.headers) : {}),
      };
      const endpoint: McpEndpoint = {
        serverId: row.id,
        version: row.version,
        url: row.url,
        transport: row.transport as McpEndpoint["transport"],
        headers,
        userId: opts.identity.userId,
      };
      const listed = await pool.listTools(endpoint, { signal: opts.signal });
      if (!listed.ok) {
        notices.push(noticeFor(row, listed.error.code, listed.error.message));
        rows.push({
          name: `${row.slug}__*`,
          source: "mcp",
          server_id: row.id,
          available: false,
          reason: "server_unavailable",
        });
        return null;
      }
      return { row, endpoint, tools: listed.tools };
    }),
  );
  const servers = connected.filter((s): s is ServerTools => s !== null);

  const entries = servers.flatMap((s) =>
    s.tools.map((tool) => ({
      key: `${s.row.id}\u0000${tool.name}`,
      prefix: s.row.slug,
      name: tool.name,
    })),
  );
  const names = assignExposedNames(entries);
  const origins = new Map<string, ToolOrigin>();
  const tools: ToolSet = {};
  const denied = new Set<string>();
  const modelOutputs = new Map<string, ReturnType<typeof convertToolResult>["modelOutput"]>();
  // Names of offered admin tools: they win a clash with workspace tools.
  const offeredMcp = new Set<string>();

  for (const server of servers) {
    const policy = serverPolicyOf(server.row);
    for (const tool of server.tools) {
      const exposed = names.get(`${server.row.id}\u0000${tool.name}`)!;
      const candidate: ToolCandidate = { source: "mcp", name: tool.name, server: policy };
      const decision = decide(candidate, turn);
      rows.push({
        name: exposed,
        source: "mcp",
        server_id: server.row.id,
        available: decision.available,
        reason: decision.reason,
      });
      if (!decision.available) continue;
      offeredMcp.add(exposed);
      origins.set(exposed, { source: "mcp", serverId: server.row.id, toolName: tool.name });
      const modelIntent = server.row.modelIntent;
      tools[exposed] = dynamicTool({
        // Streamed as `toolMetadata`, so the live UI knows the tool's server and origin.
        metadata: { source: "mcp", server_id: server.row.id, tool_name: tool.name },
        description: capDescription(tool.description ?? tool.title),
        inputSchema: jsonSchema(modelFacingSchema(tool.inputSchema, modelIntent).schema as never),
        execute: async (input, { toolCallId, abortSignal }) => {
          // Asked again at execution (security.md point 2): the config may have changed
          // since the tools were offered.
          const current = await findMcpServer(db, server.row.id);
          const again = current
            ? decide({ source: "mcp", name: tool.name, server: serverPolicyOf(current) }, turn)
            : { available: false, reason: "server_disabled" as const };
          if (!again.available || current?.version !== server.row.version) {
            denied.add(toolCallId);
            const notice = {
              code: "tool.denied",
              detail: `${exposed} is no longer allowed (${again.available ? "config_changed" : again.reason}).`,
              server_id: server.row.id,
            };
            opts.onNotice?.(notice);
            throw new PolicyDenied(`The tool ${exposed} is not available: ${notice.detail}`);
          }
          const unwrapped = unwrapToolInput(input, modelIntent);
          if (!unwrapped.ok) {
            modelOutputs.set(toolCallId, { type: "error-text", value: unwrapped.error });
            return { is_error: true, text: unwrapped.error };
          }
          try {
            const result = await pool.callTool(server.endpoint, tool.name, unwrapped.args, {
              signal: abortSignal,
            });
            const converted = convertToolResult(result, {
              includeImages: opts.imageToolResults ?? false,
            });
            modelOutputs.set(toolCallId, converted.modelOutput);
            return { is_error: converted.isError, ...converted.display };
          } catch (err) {
            if (err instanceof McpToolCallError) {
              const text = `${server.row.displayName}: ${err.message}`;
              // The server's own words help the model fix its arguments; they are tool output,
              // which the system prompt tells the model not to obey.
              const forModel = err.serverDetail
                ? `${text}\nServer said: ${err.serverDetail}`
                : text;
              modelOutputs.set(toolCallId, { type: "error-text", value: forModel });
              return { is_error: true, text, code: err.code };
            }
            throw err;
          }
        },
        toModelOutput: ({ toolCallId, output }) =>
          modelOutputs.get(toolCallId) ?? { type: "json", value: (output ?? null) as never },
      });
    }
  }
  const endsTurn: string[] = [];
  // Built-ins first: their names win any clash (MCP names always carry a `<slug>__` prefix).
  for (const builtin of builtinTools()) {
    const decision = decide({ source: "builtin", name: builtin.name }, turn);
    rows.push({
      name: builtin.name,
      source: "builtin",
      available: decision.available,
      reason: decision.reason,
    });
    if (!decision.available || !opts.builtinContext) continue;
    const context = opts.builtinContext;
    origins.set(builtin.name, { source: "builtin" });
    if (builtin.endsTurn) endsTurn.push(builtin.name);
    tools[builtin.name] = defineTool({
      description: builtin.description,
      inputSchema: builtin.inputSchema,
      execute: async (input: unknown, { toolCallId, abortSignal }) => {
        // The same policy guards execution (security.md point 2).
        if (!decide({ source: "builtin", name: builtin.name }, turn).available) {
          denied.add(toolCallId);
          throw new PolicyDenied(`The tool ${builtin.name} is not available in this turn.`);
        }
        return builtin.execute(input, {
          ...context,
          toolCallId,
          signal: abortSignal ?? opts.signal ?? new AbortController().signal,
        });
      },
    });
  }
  // Workspace MCP last: built-ins, then admin servers, then workspace servers win a name.
  const workspace = await assembleWorkspaceMcpTools(db, {
    ownerId: opts.identity.userId,
    workspaceId: opts.identity.workspaceId,
    turn,
    reserved: new Set([...builtinTools().map((b) => b.name), ...offeredMcp]),
    listHidden: opts.includeUnselected ?? false,
    signal: opts.signal,
    imageToolResults: opts.imageToolResults ?? false,
    denied,
    onNotice: opts.onNotice,
  });
  Object.assign(tools, workspace.tools);
  rows.push(...workspace.rows);
  for (const [name, origin] of workspace.origins) origins.set(name, origin);
  notices.push(...workspace.notices);
  // One stable order whatever the sources: the prompt prefix stays cacheable between turns.
  const sorted: ToolSet = Object.fromEntries(
    Object.entries(tools).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  return { tools: sorted, rows, origins, notices, denied, endsTurn };
}
