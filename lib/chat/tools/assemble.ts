import "server-only";
// A turn's tools, from every source, in one place: built-ins, the admin's MCP servers and the
// workspace's own MCP servers. Each candidate is decided by the one policy (servers before they
// are dialled, then each tool), capped (tool-limits.ts), named without clashes and wrapped so
// that every call asks the policy again. See docs/architecture.md, "A turn, end to end".
import type { ToolSet } from "ai";
import type { Executor } from "@/db/client";
import type { McpServerRow } from "@/db/queries/mcp-servers";
import type { ChatToolRow } from "@/lib/chat/wire";
import { serverPolicyOf } from "@/lib/mcp-config/policy-view";
import { followServerMove, movedText, refusedToken } from "@/lib/mcp-config/as-migration";
import { recordScopeStepUp, stepUpText } from "@/lib/mcp-config/step-up";
import { capDescription } from "@/lib/mcp/tool-adapter";
import { insufficientScopeOf } from "@/lib/oauth/step-up";
import { MAX_LISTED_TOOLS } from "@/lib/mcp/client";
import { getMcpPool, McpToolCallError, type McpPool, type PooledTool } from "@/lib/mcp/pool";
import { assignExposedNames } from "@/lib/mcp/tool-names";
import { decide } from "@/lib/policy/tool-policy";
import { mcpConfigSnapshot } from "@/db/queries/mcp-config-snapshot";
import type { TurnLoop } from "../approvals/loop";
import { serverFailureText, type Notice } from "../mcp-notices";
import type { ToolOrigin } from "../parts";
import type { ProgressThrottle } from "../tool-progress";
import { OVER_SERVER_LIMIT, OVER_TURN_LIMIT, TOO_MANY_TOOLS, toolLimits } from "../tool-limits";
import {
  builtinTool,
  decideBuiltins,
  widenOnWorkspace,
  type BuiltinRunContext,
} from "./builtin-tools";
import type { TurnContext } from "./context";
import { connectExternalServers, type ServerTools } from "./external-mcp";
import {
  boundMcpTool,
  modelSchemaOf,
  type McpCallContext,
  type McpToolDefinition,
  type McpToolSource,
} from "./mcp-tool";
import { exposedNamesOf, sortedToolSet } from "./tool-order";
import { assembleWorkspaceMcpTools } from "./workspace-mcp";

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

export interface AssembleOptions {
  /** List every enabled server and hidden tool with its reason (the tools explainer). */
  explain?: boolean;
  signal?: AbortSignal;
  /** Where a tool.denied notice goes while the turn runs. */
  onNotice?: (notice: Notice) => void;
  /** Whether the model accepts images in tool results (else they become text placeholders). */
  imageToolResults?: boolean;
  /** The connection pool; the process-wide one unless a benchmark brings its own. */
  pool?: McpPool;
  /** Built-in tools run with this context; without it (tools explainer) they are listed only. */
  run?: BuiltinRunContext;
  /** The running turn's approvals, grants and audit; absent in the tools explainer. */
  loop?: TurnLoop;
  /** Where running MCP calls report progress (lib/chat/tool-progress.ts). */
  progress?: ProgressThrottle;
}

// Each listed tool's definition, built once per listing: the pool hands out the same tools
// array until the server's listing (or its config version) changes. Keyed weakly by that array,
// and checked against what else shapes a definition (the exposed names, the config version).
interface Definitions {
  names: Map<string, string>;
  row: McpServerRow;
  byTool: Map<string, McpToolDefinition>;
}
const definitions = new WeakMap<readonly PooledTool[], Definitions>();

function definitionsOf(
  row: McpServerRow,
  tools: readonly PooledTool[],
  names: Map<string, string>,
): Definitions["byTool"] {
  const cached = definitions.get(tools);
  if (cached && cached.names === names && cached.row.version === row.version) return cached.byTool;
  const byTool = new Map<string, McpToolDefinition>();
  for (const tool of tools) {
    const exposed = names.get(`${row.id}\u0000${tool.name}`)!;
    const description = tool.description ?? tool.title ?? "";
    byTool.set(tool.name, {
      exposed,
      metadata: { source: "mcp", server_id: row.id, tool_name: tool.name },
      description,
      inputSchema: tool.inputSchema,
      ...(tool.outputSchema !== undefined && { outputSchema: tool.outputSchema }),
      modelIntent: row.modelIntent,
      about: { source: "mcp", toolName: tool.name, serverId: row.id, serverSlug: row.slug },
      modelDescription: capDescription(description),
      modelSchema: modelSchemaOf(tool.inputSchema, row.modelIntent),
    });
  }
  definitions.set(tools, { names, row, byTool });
  return byTool;
}

/**
 * How this turn rechecks and calls one admin server's tools: against the stored config (the
 * policy is asked again at every call), through the pool. One per server and turn.
 */
function externalSource(
  db: Executor,
  ctx: TurnContext,
  pool: McpPool,
  server: ServerTools,
): McpToolSource {
  const { row } = server;
  return {
    recheck: async (tool) => {
      const toolName = tool.about.toolName;
      // The snapshot: one indexed read when neither the config nor the catalogue changed.
      const snapshot = await mcpConfigSnapshot(db);
      const current = snapshot.servers.find((s) => s.id === row.id);
      const catalogue = current ? (await snapshot.governance()).get(row.id) : undefined;
      const definitionHash = catalogue?.get(toolName)?.definitionHash;
      const again = current
        ? decide(
            { source: "mcp", name: toolName, server: serverPolicyOf(current, catalogue) },
            ctx.policy,
          )
        : { available: false, reason: "server_disabled" as const };
      if (!again.available) return { ok: false, reason: again.reason, serverId: row.id };
      if (current?.version !== row.version) {
        return { ok: false, reason: "config_changed", serverId: row.id };
      }
      // Rule "approval": the call waits for a person (mcp-tool.ts asks, or refuses a sub-agent).
      return {
        ok: true,
        ...(again.needsApproval && { needsApproval: true }),
        ...(definitionHash !== undefined && { definitionHash }),
      };
    },
    call: async (tool, args, signal, onProgress) => {
      try {
        const result = await pool.callTool(server.endpoint, tool.about.toolName, args, {
          signal,
          // The listing this turn offered the tool from: on the 2026-07-28 wire the arguments
          // its x-mcp-header properties name travel as Mcp-Param-* headers too.
          definition: { name: tool.about.toolName, inputSchema: tool.inputSchema },
          ...(onProgress !== undefined && { onProgress }),
        });
        return { ok: true, result };
      } catch (err) {
        if (!(err instanceof McpToolCallError)) throw err;
        const challenge = row.authType === "oauth2" ? insufficientScopeOf(err) : undefined;
        if (challenge) {
          const stepUp = await recordScopeStepUp(db, row, ctx.identity.userId, challenge.scope);
          return { ok: false, text: stepUpText(row.displayName, stepUp), code: err.code };
        }
        // A refused token may mean the server moved to another authorization server.
        if (refusedToken(row, err) && (await followServerMove(db, row))) {
          return { ok: false, text: movedText(row.displayName), code: err.code };
        }
        const text = serverFailureText(ctx.audience, row.displayName, err);
        // The server's own words help the model fix its arguments; they are tool output,
        // which the system prompt tells the model not to obey.
        const forModel = err.serverDetail ? `${text}\nServer said: ${err.serverDetail}` : text;
        return { ok: false, text, forModel, code: err.code };
      }
    },
  };
}

export async function assembleTurnTools(
  db: Executor,
  ctx: TurnContext,
  opts: AssembleOptions = {},
): Promise<AssembledTools> {
  const explain = opts.explain ?? false;
  const pool = opts.pool ?? getMcpPool();
  const external = await connectExternalServers(db, ctx, { explain, pool, signal: opts.signal });
  const notices: Notice[] = [...external.notices];
  const rows: ChatToolRow[] = [...external.rows];
  const { servers } = external;

  const limits = toolLimits();
  const builtinDecisions = decideBuiltins(ctx.policy);
  // Built-ins are never cut: the MCP tools share what the turn cap leaves.
  let turnBudget = limits.perTurn - builtinDecisions.filter((b) => b.decision.available).length;
  let cutForTurn = 0;

  const names = exposedNamesOf(servers, () =>
    assignExposedNames(
      servers.flatMap((s) =>
        s.tools.map((tool) => ({
          key: `${s.row.id}\u0000${tool.name}`,
          prefix: s.row.slug,
          name: tool.name,
        })),
      ),
    ),
  );
  const origins = new Map<string, ToolOrigin>();
  const tools: ToolSet = {};
  const denied = new Set<string>();
  const callContext: McpCallContext & { pool: McpPool } = {
    pool,
    imageToolResults: opts.imageToolResults ?? false,
    modelOutputs: new Map(),
    denied,
    ...(opts.onNotice !== undefined && { onNotice: opts.onNotice }),
    ...(opts.loop !== undefined && { loop: opts.loop }),
    ...(opts.progress !== undefined && { progress: opts.progress }),
  };
  // Names of offered admin tools: they win a clash with workspace tools.
  const offeredMcp = new Set<string>();

  for (const server of servers) {
    const { policy } = server;
    const source = externalSource(db, ctx, pool, server);
    const defined = definitionsOf(server.row, server.tools, names);
    // Tools the policy admits, in the server's order: past perServer they are cut whatever
    // the turn's budget, so the reason names the cap that really applies.
    let admittedHere = 0;
    let cutHere = 0;
    for (const tool of server.tools) {
      const definition = defined.get(tool.name)!;
      const exposed = definition.exposed;
      const decision = decide({ source: "mcp", name: tool.name, server: policy }, ctx.policy);
      const row: ChatToolRow = {
        name: exposed,
        source: "mcp",
        server_id: server.row.id,
        available: decision.available,
        reason: decision.needsApproval ? "approval_required" : decision.reason,
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
      tools[exposed] = boundMcpTool(callContext, definition, source);
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
  // The set the model is handed (the sorted copy below); a workspace created mid-turn adds to it.
  let offered: ToolSet = tools;
  const widen = widenOnWorkspace(builtinDecisions, ctx.policy, (builtin, turn) => {
    origins.set(builtin.name, { source: "builtin" });
    offered[builtin.name] = builtinTool(builtin, turn, callContext, opts.run!, opts.signal);
  });
  // Built-ins first: their names win any clash (MCP names always carry a `<slug>__` prefix).
  for (const { builtin, decision } of builtinDecisions) {
    rows.push({
      name: builtin.name,
      source: "builtin",
      available: decision.available,
      reason: decision.reason,
    });
    if (!decision.available || !opts.run) continue;
    origins.set(builtin.name, { source: "builtin" });
    if (builtin.endsTurn) endsTurn.push(builtin.name);
    tools[builtin.name] = builtinTool(
      builtin,
      ctx.policy,
      callContext,
      opts.run,
      opts.signal,
      widen,
    );
  }
  // Workspace MCP last: built-ins, then admin servers, then workspace servers win a name.
  const workspace = await assembleWorkspaceMcpTools(db, {
    ownerId: ctx.identity.userId,
    workspaceId: ctx.identity.workspaceId,
    turn: ctx.policy,
    reserved: new Set([...builtinDecisions.map((b) => b.builtin.name), ...offeredMcp]),
    listHidden: explain,
    signal: opts.signal,
    callContext,
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
  const sorted = sortedToolSet(tools);
  offered = sorted;
  return { tools: sorted, rows, origins, notices, denied, endsTurn };
}
