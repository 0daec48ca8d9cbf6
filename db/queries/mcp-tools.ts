import "server-only";
import { count, eq, inArray } from "drizzle-orm";
import type { ToolGovernance } from "@/lib/policy/tool-policy";
import type { Executor } from "../client";
import { mcpServerTools } from "../schema";

export type McpServerToolRow = typeof mcpServerTools.$inferSelect;
export type McpServerToolInsert = typeof mcpServerTools.$inferInsert;

/**
 * A catalogue entry as a turn reads it: what the policy needs, plus what the bookkeeping
 * compares a listing with (lib/mcp-config/catalogue-sync.ts).
 */
export interface CatalogueEntry extends ToolGovernance {
  definitionHash: string;
  approvedHash: string | null;
  lastSeenAt: Date;
}

/**
 * What the policy reads of a catalogue, for each of the given servers (null: every server;
 * absent from the answer: nothing catalogued yet).
 */
export async function loadToolGovernance(
  db: Executor,
  serverIds: readonly string[] | null,
): Promise<Map<string, Map<string, CatalogueEntry>>> {
  const out = new Map<string, Map<string, CatalogueEntry>>();
  if (serverIds !== null && serverIds.length === 0) return out;
  const rows = await db
    .select({
      serverId: mcpServerTools.serverId,
      name: mcpServerTools.name,
      status: mcpServerTools.status,
      rule: mcpServerTools.rule,
      planMode: mcpServerTools.planMode,
      definitionHash: mcpServerTools.definitionHash,
      approvedHash: mcpServerTools.approvedHash,
      lastSeenAt: mcpServerTools.lastSeenAt,
    })
    .from(mcpServerTools)
    .where(serverIds === null ? undefined : inArray(mcpServerTools.serverId, [...serverIds]));
  for (const { serverId, name, ...entry } of rows) {
    let tools = out.get(serverId);
    if (!tools) out.set(serverId, (tools = new Map()));
    tools.set(name, entry);
  }
  return out;
}

/** A server's whole catalogue, sorted by name (the admin's Tools tab). */
export async function listServerTools(db: Executor, serverId: string): Promise<McpServerToolRow[]> {
  return db
    .select()
    .from(mcpServerTools)
    .where(eq(mcpServerTools.serverId, serverId))
    .orderBy(mcpServerTools.name);
}

/** How many tools of each server are held for review (status "changed"). */
export async function countHeldTools(db: Executor): Promise<Map<string, number>> {
  const rows = await db
    .select({ serverId: mcpServerTools.serverId, n: count() })
    .from(mcpServerTools)
    .where(eq(mcpServerTools.status, "changed"))
    .groupBy(mcpServerTools.serverId);
  return new Map(rows.map((r) => [r.serverId, Number(r.n)]));
}
