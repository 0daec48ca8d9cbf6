import "server-only";
import { asc, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { mcpServerConfigs } from "../schema";
import { mcpConfigEpoch } from "../schema-config-epoch";
import { countHeldTools, loadToolGovernance, type CatalogueEntry } from "./mcp-tools";

type McpServerRow = typeof mcpServerConfigs.$inferSelect;
type Catalogues = ReadonlyMap<string, ReadonlyMap<string, CatalogueEntry>>;

/**
 * Every MCP config (sorted as the API lists them) and, read on first use, every catalogue's
 * policy view and how many tools each server holds for review, as of one epoch (a catalogue
 * change moves it too). Shared by all callers of one executor: treat as read-only.
 */
export interface McpConfigSnapshot {
  epoch: number;
  servers: readonly McpServerRow[];
  governance(): Promise<Catalogues>;
  heldToolCounts(): Promise<ReadonlyMap<string, number>>;
}

// Per executor (a database handle, or a transaction, which then sees its own writes): the last
// snapshot. Weak, so a finished transaction's entry goes with it.
const snapshots = new WeakMap<object, McpConfigSnapshot>();

/**
 * The configs and catalogues without reading them again when nothing changed: one indexed
 * read of the epoch row, then the cached lists. The epoch is read before the rows, so rows
 * newer than their epoch only cost an extra read later, never a stale answer.
 */
export async function mcpConfigSnapshot(db: Executor): Promise<McpConfigSnapshot> {
  const [row] = await db.select({ epoch: mcpConfigEpoch.epoch }).from(mcpConfigEpoch).limit(1);
  // Without the row (a database the migration has not reached) nothing is ever cached.
  const epoch = row?.epoch ?? -1;
  const known = snapshots.get(db);
  if (known && known.epoch === epoch && epoch >= 0) return known;
  const servers = await db
    .select()
    .from(mcpServerConfigs)
    .orderBy(asc(sql`lower(${mcpServerConfigs.displayName})`), asc(mcpServerConfigs.slug));
  let governance: Promise<Catalogues> | undefined;
  let held: Promise<ReadonlyMap<string, number>> | undefined;
  const snapshot: McpConfigSnapshot = {
    epoch,
    servers,
    governance: () => (governance ??= loadToolGovernance(db, null)),
    heldToolCounts: () =>
      (held ??= countHeldTools(db).catch((err: unknown) => {
        held = undefined;
        throw err;
      })),
  };
  snapshots.set(db, snapshot);
  return snapshot;
}
