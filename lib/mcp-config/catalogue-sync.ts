import "server-only";
// Applies a tools/list to the server's catalogue (catalogue-plan.ts decides what it means).
// Called wherever toolgate sees a listing: a turn's (and the tools explainer's) listing, the
// admin's test connection and `?refresh=true`, and the pool's refresh after a server's
// `notifications/tools/list_changed`. Nothing to change costs no write and no transaction.
// Writes run under a lock on the server's config row, re-planned on the rows read under it,
// so concurrent listings (two turns, two instances) apply each change once.
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { recordAudit } from "@/db/queries/audit";
import { findMcpServer, type McpServerRow } from "@/db/queries/mcp-servers";
import { loadToolGovernance, type CatalogueEntry } from "@/db/queries/mcp-tools";
import { mcpServerTools } from "@/db/schema";
import type { McpPool } from "@/lib/mcp/pool";
import type { ListedToolLike } from "@/lib/mcp/tool-definition";
import { planCatalogue, type CatalogueStep, type PlanOptions } from "./catalogue-plan";

/** A server whose listing may differ per user: per-user credentials or identity headers. */
export function listingIsPerUser(row: McpServerRow): boolean {
  return row.authType === "oauth2" || row.authType === "user_oidc" || row.forwardIdentityHeaders;
}

export interface ListingSource {
  /** Whose credentials listed (null: a background refresh). */
  userId: string | null;
  /** An admin listed on purpose (test connection, ?refresh=true): may remove on any server. */
  admin?: boolean;
  /** The listing hit the listing cap: it never removes anything. */
  truncated: boolean;
}

function planOptions(row: McpServerRow, source: ListingSource): PlanOptions {
  const shared = !listingIsPerUser(row);
  return {
    pin: row.pinToolDefinitions,
    toolDefault: row.toolDefault,
    planModeTools: row.planModeTools,
    mayRemove: !source.truncated && (shared || source.admin === true),
    shared,
    now: Date.now(),
  };
}

async function applySteps(
  tx: Executor,
  row: McpServerRow,
  steps: CatalogueStep[],
  source: ListingSource,
): Promise<void> {
  const now = sql`now()`;
  const where = (name: string) =>
    and(eq(mcpServerTools.serverId, row.id), eq(mcpServerTools.name, name));
  const report: Record<string, string[]> = {
    added: [],
    held: [],
    accepted: [],
    released: [],
    removed: [],
  };
  for (const step of steps) {
    switch (step.kind) {
      case "add":
        await tx
          .insert(mcpServerTools)
          .values({
            serverId: row.id,
            name: step.name,
            definition: step.definition as unknown as Record<string, unknown>,
            definitionHash: step.hash,
            approvedDefinition: step.definition as unknown as Record<string, unknown>,
            approvedHash: step.hash,
            status: "active",
            rule: step.rule,
            planMode: step.planMode,
            isNew: true,
          })
          .onConflictDoNothing();
        report.added!.push(step.name);
        break;
      case "hold":
        await tx
          .update(mcpServerTools)
          .set({
            definition: step.definition as unknown as Record<string, unknown>,
            definitionHash: step.hash,
            status: "changed",
            lastSeenAt: now,
          })
          .where(where(step.name));
        report.held!.push(step.name);
        break;
      case "accept":
      case "release":
        await tx
          .update(mcpServerTools)
          .set({
            definition: step.definition as unknown as Record<string, unknown>,
            definitionHash: step.hash,
            approvedDefinition: step.definition as unknown as Record<string, unknown>,
            approvedHash: step.hash,
            status: "active",
            lastSeenAt: now,
          })
          .where(where(step.name));
        report[step.kind === "accept" ? "accepted" : "released"]!.push(step.name);
        break;
      case "remove":
        await tx.update(mcpServerTools).set({ status: "removed" }).where(where(step.name));
        report.removed!.push(step.name);
        break;
      case "seen":
        await tx
          .update(mcpServerTools)
          .set({ lastSeenAt: now })
          .where(
            and(eq(mcpServerTools.serverId, row.id), inArray(mcpServerTools.name, step.names)),
          );
        break;
    }
  }
  const changed = Object.values(report).some((names) => names.length > 0);
  if (changed) {
    await recordAudit(tx, {
      actorId: source.userId,
      action: "mcp_server.tools_listed",
      targetType: "mcp_server",
      targetId: row.id,
      detail: { ...report, pinned: row.pinToolDefinitions },
    });
  }
}

const watched = new WeakSet<McpPool>();

/**
 * Lets the pool's own listings (after `notifications/tools/list_changed`) update the catalogue
 * at once, so a call made later in the same turn is rechecked against the new definition.
 */
export function watchPoolListings(pool: McpPool, db: Executor): void {
  if (watched.has(pool)) return;
  watched.add(pool);
  pool.onBackgroundListing((ep, tools, truncated) => {
    void (async () => {
      const row = await findMcpServer(db, ep.serverId);
      // A config changed since the connection was made: that listing no longer speaks for it.
      if (!row || row.version !== ep.version) return;
      const known = (await loadToolGovernance(db, [row.id])).get(row.id);
      await recordListing(db, row, tools, known, { userId: ep.userId, truncated });
    })().catch((err: unknown) =>
      console.error(`[mcp] catalogue update after list_changed failed`, err),
    );
  });
}

/**
 * Records a listing in the server's catalogue and returns the catalogue the policy should
 * judge the listing with: `known` itself when nothing changed (no query at all), else the
 * catalogue as written.
 */
export async function recordListing(
  db: Executor,
  row: McpServerRow,
  tools: readonly ListedToolLike[],
  known: ReadonlyMap<string, CatalogueEntry> | undefined,
  source: ListingSource,
): Promise<ReadonlyMap<string, CatalogueEntry>> {
  const steps = planCatalogue(known, tools, planOptions(row, source));
  if (steps.length === 0) return known ?? new Map();
  return db.transaction(async (tx) => {
    // Serialised per server; the plan is made again on what is stored now.
    const current = await findMcpServer(tx, row.id, { forUpdate: true });
    if (!current) return known ?? new Map();
    const fresh = (await loadToolGovernance(tx, [row.id])).get(row.id);
    const again = planCatalogue(fresh, tools, planOptions(current, source));
    if (again.length > 0) await applySteps(tx, current, again, source);
    return (await loadToolGovernance(tx, [row.id])).get(row.id) ?? new Map();
  });
}
