import "server-only";
// The admin's side of a server's tool catalogue: the list (GET …/tools), one tool's decisions
// (PATCH …/tools/:name), a bulk review (POST …/tools/review), and the config fields that are
// views of the catalogue (plan_mode_tools, pin_tool_definitions). Every change bumps the
// server's version (a turn that offered a tool under the old rules refuses its call with
// config_changed) and is audited in the same transaction.
import { and, eq, inArray } from "drizzle-orm";
import type { Executor, Transaction } from "@/db/client";
import type { ToolRule } from "@/db/enums";
import { recordAudit } from "@/db/queries/audit";
import { findMcpServer, updateMcpServer, type McpServerRow } from "@/db/queries/mcp-servers";
import { listServerTools, type McpServerToolRow } from "@/db/queries/mcp-tools";
import { mcpServerTools, users } from "@/db/schema";
import type { Caller } from "@/lib/auth/caller";
import { ApiError, Errors } from "@/lib/errors";

export interface McpServerToolJson {
  name: string;
  title?: string;
  description: string;
  input_schema: Record<string, unknown>;
  output_schema?: Record<string, unknown>;
  annotations?: Record<string, unknown>;
  definition_hash: string;
  approved_hash: string | null;
  status: McpServerToolRow["status"];
  rule: ToolRule;
  plan_mode: boolean;
  new: boolean;
  first_seen_at: string;
  last_seen_at: string;
  reviewed_by?: { id: string; name: string };
  reviewed_at?: string;
  previous?: Record<string, unknown>;
}

type Definition = {
  title?: string;
  description?: string;
  input_schema?: Record<string, unknown>;
  output_schema?: Record<string, unknown>;
  annotations?: Record<string, unknown>;
};

function toolJson(
  row: McpServerToolRow,
  reviewer: { id: string; name: string } | undefined,
): McpServerToolJson {
  const d = row.definition as Definition;
  return {
    name: row.name,
    ...(d.title !== undefined && { title: d.title }),
    description: d.description ?? "",
    input_schema: d.input_schema ?? {},
    ...(d.output_schema !== undefined && { output_schema: d.output_schema }),
    ...(d.annotations !== undefined && { annotations: d.annotations }),
    definition_hash: row.definitionHash,
    approved_hash: row.approvedHash,
    status: row.status,
    rule: row.rule,
    plan_mode: row.planMode,
    new: row.isNew,
    first_seen_at: row.firstSeenAt.toISOString(),
    last_seen_at: row.lastSeenAt.toISOString(),
    ...(reviewer && { reviewed_by: reviewer }),
    ...(row.reviewedAt && { reviewed_at: row.reviewedAt.toISOString() }),
    ...(row.status === "changed" && row.approvedDefinition && { previous: row.approvedDefinition }),
  };
}

/** The catalogue, sorted by name, as the API returns it. */
export async function catalogueJson(db: Executor, serverId: string): Promise<McpServerToolJson[]> {
  const rows = await listServerTools(db, serverId);
  const reviewerIds = [...new Set(rows.flatMap((r) => (r.reviewedBy ? [r.reviewedBy] : [])))];
  const reviewers = reviewerIds.length
    ? await db
        .select({ id: users.id, name: users.name })
        .from(users)
        .where(inArray(users.id, reviewerIds))
    : [];
  const byId = new Map(reviewers.map((u) => [u.id, u]));
  return rows.map((r) => toolJson(r, r.reviewedBy ? byId.get(r.reviewedBy) : undefined));
}

/**
 * plan_mode_tools from the per-tool flags. Per-tool edits always give a list (even one naming
 * every tool): null means "every tool, including ones the server adds later", which only an
 * explicit plan_mode_tools: null on the config says.
 */
async function planModeView(tx: Executor, serverId: string): Promise<string[]> {
  const rows = await tx
    .select({ name: mcpServerTools.name })
    .from(mcpServerTools)
    .where(and(eq(mcpServerTools.serverId, serverId), eq(mcpServerTools.planMode, true)));
  return rows.map((r) => r.name).sort();
}

export interface ToolDecision {
  rule?: ToolRule;
  plan_mode?: boolean;
  approve_hash?: string;
}

const notFound = (name: string) =>
  new ApiError(404, "mcp_tool.not_found", `This server has no tool named ${name}.`);

async function lockServer(tx: Transaction, serverId: string): Promise<McpServerRow> {
  const row = await findMcpServer(tx, serverId, { forUpdate: true });
  if (!row) throw Errors.notFound("mcp_server", "MCP server");
  return row;
}

/** Applies decisions to named tools; all or nothing (the caller's transaction). */
async function decideTools(
  tx: Transaction,
  actor: Caller,
  server: McpServerRow,
  decisions: Array<{ name: string } & ToolDecision>,
): Promise<McpServerRow> {
  const names = decisions.map((d) => d.name);
  const rows = names.length
    ? await tx
        .select()
        .from(mcpServerTools)
        .where(and(eq(mcpServerTools.serverId, server.id), inArray(mcpServerTools.name, names)))
    : [];
  const byName = new Map(rows.map((r) => [r.name, r]));
  for (const d of decisions) {
    const row = byName.get(d.name);
    if (!row) throw notFound(d.name);
    if (d.approve_hash !== undefined && d.approve_hash !== row.definitionHash) {
      throw new ApiError(
        409,
        "mcp_tool.hash_mismatch",
        `The definition of ${d.name} is not the one you reviewed (it is now ${row.definitionHash}). Review it again.`,
      );
    }
  }
  let planModeChanged = false;
  for (const d of decisions) {
    const row = byName.get(d.name)!;
    const approve = d.approve_hash !== undefined;
    await tx
      .update(mcpServerTools)
      .set({
        ...(d.rule !== undefined && { rule: d.rule }),
        ...(d.plan_mode !== undefined && { planMode: d.plan_mode }),
        ...(approve && {
          approvedDefinition: row.definition,
          approvedHash: row.definitionHash,
          ...(row.status === "changed" && { status: "active" as const }),
        }),
        isNew: false,
        reviewedBy: actor.id,
        reviewedAt: new Date(),
      })
      .where(and(eq(mcpServerTools.serverId, server.id), eq(mcpServerTools.name, d.name)));
    if (d.plan_mode !== undefined && d.plan_mode !== row.planMode) planModeChanged = true;
    await recordAudit(tx, {
      actorId: actor.id,
      action: "mcp_tool.update",
      targetType: "mcp_server",
      targetId: server.id,
      detail: {
        tool: d.name,
        rule: d.rule ?? null,
        plan_mode: d.plan_mode ?? null,
        approved_hash: approve ? row.definitionHash : null,
        previous_approved_hash: approve ? row.approvedHash : null,
        was_status: row.status,
      },
    });
  }
  // Bumps the version whatever changed: turns holding an offer made under the old decisions
  // refuse its calls (config_changed) and take the new ones on their next step.
  return updateMcpServer(tx, server.id, {
    ...(planModeChanged && { planModeTools: await planModeView(tx, server.id) }),
  });
}

export async function updateTool(
  db: Executor,
  actor: Caller,
  serverId: string,
  name: string,
  decision: ToolDecision,
): Promise<McpServerToolJson> {
  await db.transaction(async (tx) => {
    const server = await lockServer(tx, serverId);
    await decideTools(tx, actor, server, [{ name, ...decision }]);
  });
  const tool = (await catalogueJson(db, serverId)).find((t) => t.name === name);
  if (!tool) throw notFound(name);
  return tool;
}

export interface ReviewInput {
  approve: Array<{ name: string; hash: string }>;
  rule?: ToolRule;
  plan_mode?: boolean;
}

/** Approves the named definitions and applies rule / plan_mode to the same tools. */
export async function reviewTools(
  db: Executor,
  actor: Caller,
  serverId: string,
  input: ReviewInput,
): Promise<McpServerToolJson[]> {
  await db.transaction(async (tx) => {
    const server = await lockServer(tx, serverId);
    await decideTools(
      tx,
      actor,
      server,
      input.approve.map((a) => ({
        name: a.name,
        approve_hash: a.hash,
        ...(input.rule !== undefined && { rule: input.rule }),
        ...(input.plan_mode !== undefined && { plan_mode: input.plan_mode }),
      })),
    );
  });
  return catalogueJson(db, serverId);
}

/**
 * Keeps the catalogue in step with a config edit (in the edit's transaction): plan_mode_tools
 * written on the config sets every tool's flag; pinning turned off accepts held changes.
 */
export async function catalogueFollowsConfig(
  tx: Executor,
  actor: Caller,
  row: McpServerRow,
  changed: readonly string[],
): Promise<void> {
  if (changed.includes("plan_mode_tools")) {
    const list = row.planModeTools;
    const rows = await tx
      .select({ name: mcpServerTools.name, planMode: mcpServerTools.planMode })
      .from(mcpServerTools)
      .where(eq(mcpServerTools.serverId, row.id));
    for (const tool of rows) {
      const want = list === null || list.includes(tool.name);
      if (want === tool.planMode) continue;
      await tx
        .update(mcpServerTools)
        .set({ planMode: want })
        .where(and(eq(mcpServerTools.serverId, row.id), eq(mcpServerTools.name, tool.name)));
    }
  }
  if (changed.includes("pin_tool_definitions") && !row.pinToolDefinitions) {
    const held = await tx
      .select({
        name: mcpServerTools.name,
        definition: mcpServerTools.definition,
        hash: mcpServerTools.definitionHash,
      })
      .from(mcpServerTools)
      .where(and(eq(mcpServerTools.serverId, row.id), eq(mcpServerTools.status, "changed")));
    for (const tool of held) {
      await tx
        .update(mcpServerTools)
        .set({ status: "active", approvedDefinition: tool.definition, approvedHash: tool.hash })
        .where(and(eq(mcpServerTools.serverId, row.id), eq(mcpServerTools.name, tool.name)));
    }
    if (held.length > 0) {
      await recordAudit(tx, {
        actorId: actor.id,
        action: "mcp_server.tools_listed",
        targetType: "mcp_server",
        targetId: row.id,
        detail: { accepted: held.map((t) => t.name), pinned: false },
      });
    }
  }
}
