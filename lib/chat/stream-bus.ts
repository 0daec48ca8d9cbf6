import "server-only";
import { EventEmitter } from "node:events";
import type { Executor } from "@/db/client";
import { findTurn, interruptStaleTurns, readChunks } from "@/db/queries/chats";
import { loggableError } from "@/db/queries/errors";
import {
  deleteTurnChunks,
  writeTurnEnd,
  writeTurnProgress,
  type TurnEnd,
  type TurnEndRows,
} from "@/db/queries/turn-end";
import { CHUNK_GRACE_MS, STALE_AFTER_SECONDS } from "./turn-liveness";

/**
 * Turn stream chunks live in Postgres rows (turn_chunks), so any instance can replay and
 * follow any turn. Followers on the instance that runs the turn are woken at once by a local
 * event after each flush; followers elsewhere notice new rows by polling.
 */
const state = globalThis as unknown as { __toolgateTurnEvents?: EventEmitter };
function events(): EventEmitter {
  if (!state.__toolgateTurnEvents) {
    state.__toolgateTurnEvents = new EventEmitter();
    state.__toolgateTurnEvents.setMaxListeners(0);
  }
  return state.__toolgateTurnEvents;
}

export function notifyTurn(turnId: string): void {
  events().emit(turnId);
}

/** Wakes whoever waits on `key` on this instance (waiters elsewhere poll). */
export function notifyWaiters(key: string): void {
  events().emit(key);
}

/** Resolves on the next notifyWaiters(key) here, after `ms`, or on abort; never rejects. */
export function waitForWake(key: string, ms: number, signal?: AbortSignal): Promise<void> {
  return waitForTurnEvent(key, ms, signal);
}

function waitForTurnEvent(turnId: string, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      events().off(turnId, done);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    events().once(turnId, done);
    signal?.addEventListener("abort", done, { once: true });
  });
}

const FLUSH_DELAY_MS = 20;
const FLUSH_MAX = 64;

/** What the end of a turn writes besides its last chunks (see writeTurnEnd). */
export type TurnEndFields = Omit<TurnEnd, "turnId" | "firstSeq" | "chunks">;

/**
 * A turn's writes while it streams, none of them awaited by the stream loop: chunks batched
 * into rows (one statement per ~20 ms rather than one per token, with the message's parts
 * after a step), run one after another in order. `end` writes what is left
 * together with the turn's end, in one statement.
 */
export class ChunkWriter {
  private seq = 0;
  private pending: Record<string, unknown>[] = [];
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private failure: unknown;
  private parts: { messageId: string; parts: unknown[] } | undefined;

  constructor(
    private readonly db: Executor,
    private readonly turnId: string,
  ) {}

  push(chunk: Record<string, unknown>): void {
    this.pending.push(chunk);
    if (this.pending.length >= FLUSH_MAX) void this.flush().catch(() => undefined);
    else this.timer ??= setTimeout(() => void this.flush().catch(() => undefined), FLUSH_DELAY_MS);
  }

  /**
   * Stores the message's parts so far (a reload mid-turn shows them) with the next batch of
   * chunks, in the same statement; the turn's end supersedes it.
   */
  saveParts(messageId: string, parts: unknown[]): void {
    this.parts = { messageId, parts };
    this.timer ??= setTimeout(() => void this.flush().catch(() => undefined), FLUSH_DELAY_MS);
  }

  /** Writes everything pushed so far; rejects if any write failed. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    const parts = this.parts;
    this.pending = [];
    this.parts = undefined;
    if (batch.length > 0 || parts) {
      const first = this.seq;
      this.seq += batch.length;
      this.chain = this.chain.then(async () => {
        if (this.failure) return;
        try {
          const message = parts && { id: parts.messageId, parts: parts.parts };
          await writeTurnProgress(this.db, this.turnId, first, batch, message);
          if (batch.length > 0) notifyTurn(this.turnId);
        } catch (err) {
          this.failure = err;
        }
      });
    }
    return this.chain.then(() => {
      if (this.failure) throw this.failure;
    });
  }

  /**
   * Ends the turn: after the writes already under way, one statement stores the last chunks,
   * the message, the turn's outcome and the chat's status. Followers here are woken at once;
   * the turn's rows are deleted once followers elsewhere had time to drain them.
   */
  async end(fields: TurnEndFields): Promise<TurnEndRows | undefined> {
    this.parts = undefined;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.chain;
    const chunks = this.failure ? [] : this.pending;
    this.pending = [];
    const end: TurnEnd = { ...fields, turnId: this.turnId, firstSeq: this.seq, chunks };
    this.seq += chunks.length;
    let rows: TurnEndRows | undefined;
    try {
      rows = await writeTurnEnd(this.db, end);
    } catch (err) {
      // The stream rows are what could not be stored (a value Postgres refused): the message,
      // the turn and the chat still end, without them.
      console.error(`[turn ${this.turnId}] could not store its end at once:`, loggableError(err));
      rows = await writeTurnEnd(this.db, { ...end, chunks: [] });
    }
    notifyTurn(this.turnId);
    scheduleChunkDeletion(this.db, this.turnId);
    return rows;
  }
}

const dueDeletions = new Map<string, { db: Executor; timer: NodeJS.Timeout }>();

function scheduleChunkDeletion(db: Executor, turnId: string): void {
  const timer = setTimeout(() => void deleteDueChunks([turnId]), CHUNK_GRACE_MS);
  timer.unref();
  dueDeletions.set(turnId, { db, timer });
}

async function deleteDueChunks(turnIds: string[]): Promise<void> {
  const byDb = new Map<Executor, string[]>();
  for (const id of turnIds) {
    const due = dueDeletions.get(id);
    if (!due) continue;
    clearTimeout(due.timer);
    dueDeletions.delete(id);
    byDb.set(due.db, [...(byDb.get(due.db) ?? []), id]);
  }
  for (const [db, ids] of byDb) {
    await deleteTurnChunks(db, ids).catch((err: unknown) =>
      console.error("[turns] could not delete finished turns' stream rows:", loggableError(err)),
    );
  }
}

/** Deletes the stream rows of every turn that ended here, without waiting for the grace. */
export function deleteFinishedChunksNow(): Promise<void> {
  return deleteDueChunks([...dueDeletions.keys()]);
}

const POLL_MS = 250;

/**
 * Resolves once the turn is no longer running (true), or after `timeoutMs` while it still runs
 * (false). Works on any instance: woken by the local event, else by polling.
 */
export async function waitForTurnEnd(
  db: Executor,
  turnId: string,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const turn = await findTurn(db, turnId);
    if (!turn || turn.status !== "running") return true;
    if (Date.now() - turn.heartbeatAt.getTime() > STALE_AFTER_SECONDS * 1000) {
      await interruptStaleTurns(db, STALE_AFTER_SECONDS);
      continue;
    }
    const left = deadline - Date.now();
    if (left <= 0) return false;
    await waitForTurnEvent(turnId, Math.min(POLL_MS, left));
  }
}

/**
 * Yields a turn's chunks from `fromSeq` on, live, until the turn ends. Works on any instance.
 */
export async function* followTurn(
  db: Executor,
  turnId: string,
  opts: { fromSeq?: number; signal?: AbortSignal } = {},
): AsyncGenerator<Record<string, unknown>> {
  let next = opts.fromSeq ?? 0;
  for (;;) {
    if (opts.signal?.aborted) return;
    const rows = await readChunks(db, turnId, next);
    for (const row of rows) {
      yield row.chunk;
      next = row.seq + 1;
    }
    // After `finish` the turn is most likely over (its end writes that chunk with the turn's
    // outcome): ask the turn rather than read the rows again.
    if (rows.length > 0 && rows.at(-1)!.chunk.type !== "finish") continue;
    const turn = await findTurn(db, turnId);
    if (!turn) return;
    if (turn.status !== "running") {
      // The runner flushes every chunk before it ends the turn: drain what is left.
      for (const row of await readChunks(db, turnId, next, 100_000)) yield row.chunk;
      return;
    }
    if (Date.now() - turn.heartbeatAt.getTime() > STALE_AFTER_SECONDS * 1000) {
      await interruptStaleTurns(db, STALE_AFTER_SECONDS);
      continue;
    }
    await waitForTurnEvent(turnId, POLL_MS, opts.signal);
  }
}
