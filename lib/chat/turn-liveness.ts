import "server-only";
import type { DbHandle } from "@/db/client";
import { interruptStaleTurns } from "@/db/queries/chats";

// How a dead instance's turns are found. The instance running a turn refreshes its heartbeat
// every HEARTBEAT_MS; a turn whose heartbeat is older than STALE_AFTER_SECONDS (three missed
// beats and some slack) belongs to an instance that died, and every instance sweeps for such
// turns every SWEEP_MS. A chat whose instance was killed thus leaves "running" at most
// STALE_AFTER_SECONDS + SWEEP_MS after the last beat: within 15 s of a restart.
export const HEARTBEAT_MS = 3_000;
export const STALE_AFTER_SECONDS = 10;
export const SWEEP_MS = 3_000;

/**
 * Repairs the turns of instances that died. PGlite lives inside this one process, so at start
 * every turn still marked running died with the previous process and is marked at once; on
 * Postgres other instances may be running turns, so only stale heartbeats count.
 */
export async function sweepDeadTurns(
  handle: Pick<DbHandle, "db" | "kind">,
  opts: { atStart?: boolean } = {},
): Promise<number> {
  const everyRunning = opts.atStart === true && handle.kind === "pglite";
  return interruptStaleTurns(handle.db, everyRunning ? "all" : STALE_AFTER_SECONDS);
}
