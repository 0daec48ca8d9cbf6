import "server-only";
import { tool as defineTool, type ToolSet } from "ai";
import type { Executor } from "@/db/client";
import { listMcpServers, setMcpServerStatus, type McpServerRow } from "@/db/queries/mcp-servers";
import type { ChatToolRow } from "@/lib/client/types";
import { SecretDecryptError } from "@/lib/crypto/envelope";
import { KeyRingError } from "@/lib/crypto/keyring";
import { authHeadersFor } from "@/lib/mcp-config/credentials";
import { serverPolicyOf } from "@/lib/mcp-config/policy-view";
import { MAX_LISTED_TOOLS } from "@/lib/mcp/client";
import { getMcpPool, type McpEndpoint, type McpPool, type PooledTool } from "@/lib/mcp/pool";
import { credentialValues } from "@/lib/mcp/redact";
import { assignExposedNames } from "@/lib/mcp/tool-names";
import { decide, type ToolCandidate, type TurnPolicy } from "@/lib/policy/tool-policy";
import { builtinTools } from "./builtins/registry";
import type { BuiltinContext } from "./builtins/types";
import { serverNotice, type Notice, type NoticeAudience, type ServerFailure } from "./mcp-notices";
import { mcpTool, type ModelOutputs } from "./mcp-tool";
import type { ToolOrigin } from "./parts";
import { denyCall } from "./policy-denied";
import { OVER_SERVER_LIMIT, OVER_TURN_LIMIT, TOO_MANY_TOOLS, toolLimits } from "./tool-limits";
import { assembleWorkspaceMcpTools } from "./workspace-mcp";

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

type Credentials =
  | { ok: true; headers: Record<string, string> }
  | { ok: false; failure: ServerFailure; reason: "auth_required" | "server_unavailable" };

/**
 * The server's credentials for the user. Stored secrets that no longer decrypt (a key mix-up
 * in SECRETS_KEYS) cost this server, never the turn: it is skipped, the admin learns why from
 * the log and the server's status, the user from a notice.
 */
async function credentialsFor(
  db: Executor,
  row: McpServerRow,
  userId: string,
  inTurn: boolean,
): Promise<Credentials> {
  try {
    const auth = await authHeadersFor(db, row, userId);
    if (auth.ok) return auth;
    return { ok: false, failure: { ...auth, forUser: true }, reason: "auth_required" };
  } catch (err) {
    const keyMixUp = err instanceof SecretDecryptError || err instanceof KeyRingError;
    const message = keyMixUp
      ? "its stored credentials cannot be decrypted with the configured SECRETS_KEYS; restore the key or enter the credentials again."
      : "its stored credentials could not be read.";
    if (inTurn) {
      // The error names the key id or the failure, never a secret value.
      console.error(`[mcp] server ${row.slug} skipped: ${message}`, err);
      await setMcpServerStatus(db, row.id, { state: "error", detail: message }).catch(
        (statusErr: unknown) => console.error(`[mcp] server ${row.slug}: status`, statusErr),
      );
    }
    return {
      ok: false,
      failure: { code: "mcp.server_unavailable", message },
      reason: "server_unavailable",
    };
  }
}

interface ServerTools {
  row: McpServerRow;
  endpoint: McpEndpoint;
  tools: PooledTool[];
  truncated: boolean;
}

/**
 * Gathers the MCP tools of a turn: the chat's selected servers plus every force_on server,
 * each connected through the pool with the owner's credentials, filtered by the one policy
 * and capped (tool-limits.ts). A server that cannot be used costs one notice, never the turn.
 */
export async function assembleMcpTools(
  db: Executor,
  opts: {
    identity: TurnIdentity;
    selectedServerIds: readonly string[];
    turn: Omit<TurnPolicy, "selectedServerIds">;
    /** Who reads the notices: the chat owner's role (members never see server addresses). */
    audience: NoticeAudience;
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
  const unavailable = (row: McpServerRow, failure: ServerFailure, reason: string) => {
    notices.push(serverNotice(opts.audience, row, failure));
    rows.push({
      name: `${row.slug}__*`,
      source: "mcp",
      server_id: row.id,
      available: false,
      reason,
    });
  };

  const connected = await Promise.all(
    inTurn.map(async (row): Promise<ServerTools | null> => {
      const auth = await credentialsFor(db, row, opts.identity.userId, !opts.includeUnselected);
      if (!auth.ok) {
        unavailable(row, auth.failure, auth.reason);
        return null;
      }
      const endpoint: McpEndpoint = {
        serverId: row.id,
        version: row.version,
        url: row.url,
        transport: row.transport as McpEndpoint["transport"],
        headers: {
          ...auth.headers,
          ...(row.forwardIdentityHeaders ? identityHeaders(opts.identity, auth.headers) : {}),
        },
        // Only what authenticates: the identity headers are not secrets.
        secrets: credentialValues(auth.headers),
        userId: opts.identity.userId,
      };
      const listed = await pool.listTools(endpoint, { signal: opts.signal });
      if (!listed.ok) {
        unavailable(row, listed.error, "server_unavailable");
        return null;
      }
      return { row, endpoint, tools: listed.tools, truncated: listed.truncated };
    }),
  );
  const servers = connected.filter((s): s is ServerTools => s !== null);

  const limits = toolLimits();
  const builtinDecisions = builtinTools().map((builtin) => ({
    builtin,
    decision: decide({ source: "builtin", name: builtin.name }, turn),
  }));
  // Built-ins are never cut: the MCP tools share what the turn cap leaves.
  let turnBudget = limits.perTurn - builtinDecisions.filter((b) => b.decision.available).length;
  let cutForTurn = 0;

  const names = assignExposedNames(
    servers.flatMap((s) =>
      s.tools.map((tool) => ({
        key: `${s.row.id}\u0000${tool.name}`,
        prefix: s.row.slug,
        name: tool.name,
      })),
    ),
  );
  const origins = new Map<string, ToolOrigin>();
  const tools: ToolSet = {};
  const denied = new Set<string>();
  const modelOutputs: ModelOutputs = new Map();
  const toolContext = {
    db,
    pool,
    turn,
    audience: opts.audience,
    imageToolResults: opts.imageToolResults ?? false,
    modelOutputs,
    denied,
    ...(opts.onNotice !== undefined && { onNotice: opts.onNotice }),
  };
  // Names of offered admin tools: they win a clash with workspace tools.
  const offeredMcp = new Set<string>();

  for (const server of servers) {
    const policy = serverPolicyOf(server.row);
    // Tools the policy admits, in the server's order: past perServer they are cut whatever
    // the turn's budget, so the reason names the cap that really applies.
    let admittedHere = 0;
    let cutHere = 0;
    for (const tool of server.tools) {
      const exposed = names.get(`${server.row.id}\u0000${tool.name}`)!;
      const candidate: ToolCandidate = { source: "mcp", name: tool.name, server: policy };
      const decision = decide(candidate, turn);
      const row: ChatToolRow = {
        name: exposed,
        source: "mcp",
        server_id: server.row.id,
        available: decision.available,
        reason: decision.reason,
      };
      rows.push(row);
      if (!decision.available) continue;
      admittedHere += 1;
      if (admittedHere > limits.perServer || turnBudget <= 0) {
        row.available = false;
        row.reason = admittedHere > limits.perServer ? OVER_SERVER_LIMIT : OVER_TURN_LIMIT;
        if (admittedHere > limits.perServer) cutHere += 1;
        else cutForTurn += 1;
        continue;
      }
      turnBudget -= 1;
      offeredMcp.add(exposed);
      origins.set(exposed, { source: "mcp", serverId: server.row.id, toolName: tool.name });
      tools[exposed] = mcpTool(toolContext, server, tool, exposed);
    }
    if (cutHere > 0 || server.truncated) {
      const parts = [
        ...(server.truncated
          ? [`it lists more than ${MAX_LISTED_TOOLS} tools; only the first were read`]
          : []),
        ...(cutHere > 0
          ? [`${cutHere} tools past the limit of ${limits.perServer} per server were left out`]
          : []),
      ];
      notices.push({
        code: TOO_MANY_TOOLS,
        detail: `${server.row.displayName}: ${parts.join("; ")}.`,
        server_id: server.row.id,
      });
    }
  }
  const endsTurn: string[] = [];
  // Built-ins first: their names win any clash (MCP names always carry a `<slug>__` prefix).
  for (const { builtin, decision } of builtinDecisions) {
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
        const again = decide({ source: "builtin", name: builtin.name }, turn);
        if (!again.available) {
          return denyCall(toolContext, {
            toolCallId,
            exposedName: builtin.name,
            reason: again.reason,
          });
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
    maxTools: Math.max(0, turnBudget),
    overLimitReason: OVER_TURN_LIMIT,
  });
  Object.assign(tools, workspace.tools);
  rows.push(...workspace.rows);
  for (const [name, origin] of workspace.origins) origins.set(name, origin);
  notices.push(...workspace.notices);
  cutForTurn += workspace.cut;
  if (cutForTurn > 0) {
    notices.push({
      code: TOO_MANY_TOOLS,
      detail: `At most ${limits.perTurn} tools can be offered in one turn: ${cutForTurn} MCP tools were left out. Select fewer servers, or ask an admin to narrow their tool lists.`,
    });
  }
  // One stable order whatever the sources: the prompt prefix stays cacheable between turns.
  const sorted: ToolSet = Object.fromEntries(
    Object.entries(tools).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  return { tools: sorted, rows, origins, notices, denied, endsTurn };
}
