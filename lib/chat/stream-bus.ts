import "server-only";
import { EventEmitter } from "node:events";
import type { Executor } from "@/db/client";
import { appendChunks, findTurn, interruptStaleTurns, readChunks } from "@/db/queries/chats";
import { STALE_AFTER_SECONDS } from "./turn-liveness";

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

/** Batches a turn's chunks into rows: one insert per ~20 ms rather than one per token. */
export class ChunkWriter {
  private seq = 0;
  private pending: Record<string, unknown>[] = [];
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private failure: unknown;

  constructor(
    private readonly db: Executor,
    private readonly turnId: string,
  ) {}

  push(chunk: Record<string, unknown>): void {
    this.pending.push(chunk);
    if (this.pending.length >= FLUSH_MAX) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), FLUSH_DELAY_MS);
  }

  /** Writes everything pushed so far; rejects if any write failed. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    if (batch.length > 0) {
      const first = this.seq;
      this.seq += batch.length;
      this.chain = this.chain.then(async () => {
        if (this.failure) return;
        try {
          await appendChunks(this.db, this.turnId, first, batch);
          notifyTurn(this.turnId);
        } catch (err) {
          this.failure = err;
        }
      });
    }
    return this.chain.then(() => {
      if (this.failure) throw this.failure;
    });
  }
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
    if (rows.length > 0) continue;
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
