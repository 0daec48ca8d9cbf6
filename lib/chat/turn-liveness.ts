import "server-only";
import type { DbHandle } from "@/db/client";
import { interruptStaleTurns } from "@/db/queries/chats";
import { deleteLeftoverTurnChunks } from "@/db/queries/turn-end";

// How a dead instance's turns are found. The instance running a turn refreshes its heartbeat
// every HEARTBEAT_MS; a turn whose heartbeat is older than STALE_AFTER_SECONDS (three missed
// beats and some slack) belongs to an instance that died, and every instance sweeps for such
// turns every SWEEP_MS. A chat whose instance was killed thus leaves "running" at most
// STALE_AFTER_SECONDS + SWEEP_MS after the last beat: within 15 s of a restart.
export const HEARTBEAT_MS = 3_000;
export const STALE_AFTER_SECONDS = 10;
export const SWEEP_MS = 3_000;

/**
 * How long a finished turn's stream rows outlive it: followers still draining its last chunks
 * (a poll behind, on another instance) finish first. Later readers find no running turn and
 * read the stored message, which holds everything the rows described. The instance that ends
 * a turn deletes its rows after this grace (lib/chat/stream-bus.ts).
 */
export const CHUNK_GRACE_MS = 30_000;
/**
 * The sweep deletes the rows of any turn over for longer than this: a turn interrupted by a
 * crash (nobody was left to delete them), or one whose instance stopped within the grace.
 * Longer than the grace, so the instance that ended a turn deletes its rows first, and a
 * follower of a turn just marked interrupted still drains what it had not read.
 */
export const LEFTOVER_CHUNKS_AFTER_SECONDS = (2 * CHUNK_GRACE_MS) / 1000;
/** Stream rows one sweep deletes at most: a backlog goes over the next sweeps. */
export const LEFTOVER_CHUNKS_PER_SWEEP = 5_000;

/**
 * Repairs the turns of instances that died. PGlite lives inside this one process, so at start
 * every turn still marked running died with the previous process and is marked at once; on
 * Postgres other instances may be running turns, so only stale heartbeats count. Then deletes
 * the stream rows left behind by turns over for LEFTOVER_CHUNKS_AFTER_SECONDS (those it marks
 * interrupted go on a sweep that long after), a bounded number per sweep.
 */
export async function sweepDeadTurns(
  handle: Pick<DbHandle, "db" | "kind">,
  opts: { atStart?: boolean } = {},
): Promise<{ interrupted: number; chunksDeleted: number }> {
  const everyRunning = opts.atStart === true && handle.kind === "pglite";
  const interrupted = await interruptStaleTurns(
    handle.db,
    everyRunning ? "all" : STALE_AFTER_SECONDS,
  );
  const chunksDeleted = await deleteLeftoverTurnChunks(
    handle.db,
    LEFTOVER_CHUNKS_AFTER_SECONDS,
    LEFTOVER_CHUNKS_PER_SWEEP,
  );
  return { interrupted, chunksDeleted };
}
