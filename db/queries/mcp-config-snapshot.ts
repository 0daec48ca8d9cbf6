import "server-only";
import { PGlite } from "@electric-sql/pglite";
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
  const watch = changeWatch(db);
  const known = snapshots.get(db);
  // Heard of no change since a snapshot read while listening: it is current, nothing to read.
  if (known && watch?.listening && heardAt.get(known) === watch.heard) return known;
  const heard = watch?.listening ? watch.heard : undefined;
  const [row] = await db.select({ epoch: mcpConfigEpoch.epoch }).from(mcpConfigEpoch).limit(1);
  // Without the row (a database the migration has not reached) nothing is ever cached.
  const epoch = row?.epoch ?? -1;
  if (known && known.epoch === epoch && epoch >= 0) {
    if (heard !== undefined) heardAt.set(known, heard);
    return known;
  }
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
  if (heard !== undefined && epoch >= 0) heardAt.set(snapshot, heard);
  return snapshot;
}

/**
 * PGlite has one client, this process: every committed change to the configs or catalogues is
 * made here, and the epoch's bump notifies at its commit (migration 0012), before the writer
 * goes on. Listening, the process knows a snapshot is current without reading the epoch; a
 * snapshot counts only when read after LISTEN took effect and before the next notification
 * (`heard` counts them). A shared Postgres keeps reading the epoch: another instance's
 * notification would arrive a moment after its commit.
 */
const CHANNEL = "toolgate_mcp_config";
interface ChangeWatch {
  listening: boolean;
  heard: number;
}
const watches = new WeakMap<object, ChangeWatch>();
const heardAt = new WeakMap<McpConfigSnapshot, number>();

function changeWatch(db: Executor): ChangeWatch | undefined {
  // A transaction has no $client: it reads the epoch (it may hold its own uncommitted changes).
  const client = (db as { $client?: unknown }).$client;
  if (!(client instanceof PGlite)) return undefined;
  const watch = watches.get(db);
  if (watch) return watch;
  const created: ChangeWatch = { listening: false, heard: 0 };
  watches.set(db, created);
  client
    .listen(CHANNEL, () => {
      created.heard += 1;
    })
    .then(
      () => {
        created.listening = true;
      },
      (err: unknown) => console.error("[mcp] could not listen for config changes:", err),
    );
  return created;
}
