// Dead-turn repair on the real database (PGlite, or Postgres with TOOLGATE_TEST_DB=postgres).
import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import {
  appendChunks,
  heartbeatTurn,
  insertChat,
  insertMessage,
  insertTurn,
} from "@/db/queries/chats";
import { deleteLeftoverTurnChunks } from "@/db/queries/turn-end";
import { chats, messages, turnChunks, turns } from "@/db/schema";
import { withTestDatabase } from "@/lib/testing/db";
import { seedUser } from "@/lib/testing/fixtures";
import {
  CHUNK_GRACE_MS,
  HEARTBEAT_MS,
  LEFTOVER_CHUNKS_AFTER_SECONDS,
  STALE_AFTER_SECONDS,
  SWEEP_MS,
  sweepDeadTurns,
} from "./turn-liveness";

const t = withTestDatabase();

/** A chat with a running turn whose last heartbeat was `ageSeconds` ago. */
async function runningTurn(ageSeconds: number) {
  const { user } = await seedUser(t.db);
  const chat = await insertChat(t.db, { ownerId: user.id, status: "running" });
  const messageId = randomUUID();
  await insertMessage(t.db, {
    id: messageId,
    chatId: chat.id,
    role: "assistant",
    status: "streaming",
  });
  const turn = await insertTurn(t.db, { chatId: chat.id, assistantMessageId: messageId });
  await t.db
    .update(turns)
    .set({ heartbeatAt: sql`now() - ${sql.raw(`interval '${ageSeconds} seconds'`)}` })
    .where(eq(turns.id, turn.id));
  return { chatId: chat.id, turnId: turn.id, messageId };
}

async function stateOf(ids: { chatId: string; turnId: string; messageId: string }) {
  const [turn] = await t.db.select().from(turns).where(eq(turns.id, ids.turnId));
  const [chat] = await t.db.select().from(chats).where(eq(chats.id, ids.chatId));
  const [message] = await t.db.select().from(messages).where(eq(messages.id, ids.messageId));
  return { turn: turn!.status, chat: chat!.status, message: message!.status };
}

describe("dead turns", () => {
  it("leave running within 15 s of the last heartbeat, after three missed beats at least", () => {
    expect(STALE_AFTER_SECONDS * 1000 + SWEEP_MS).toBeLessThanOrEqual(15_000);
    expect(STALE_AFTER_SECONDS * 1000).toBeGreaterThanOrEqual(3 * HEARTBEAT_MS);
  });

  it("are found by their stale heartbeat; a beating turn is left alone", async () => {
    const dead = await runningTurn(STALE_AFTER_SECONDS + 1);
    const alive = await runningTurn(Math.floor(HEARTBEAT_MS / 1000));
    await sweepDeadTurns({ db: t.db, kind: "postgres" });
    expect(await stateOf(dead)).toEqual({
      turn: "interrupted",
      chat: "error",
      message: "interrupted",
    });
    expect(await stateOf(alive)).toEqual({
      turn: "running",
      chat: "running",
      message: "streaming",
    });
    // The instance still running the turn learns it was taken for dead, and stops.
    expect(await heartbeatTurn(t.db, dead.turnId)).toEqual({
      cancelRequested: false,
      running: false,
    });
    expect(await heartbeatTurn(t.db, alive.turnId)).toEqual({
      cancelRequested: false,
      running: true,
    });
  });

  it("on PGlite are every running turn at start: the previous process ran them all", async () => {
    const fresh = await runningTurn(0);
    await sweepDeadTurns({ db: t.db, kind: "postgres" }, { atStart: true });
    // On Postgres another instance may be running it: a fresh heartbeat keeps it.
    expect((await stateOf(fresh)).turn).toBe("running");
    await sweepDeadTurns({ db: t.db, kind: "pglite" }, { atStart: true });
    expect(await stateOf(fresh)).toEqual({
      turn: "interrupted",
      chat: "error",
      message: "interrupted",
    });
  });
});

/** Stream rows for a turn: `n` text deltas. */
async function withChunks(turnId: string, n: number): Promise<void> {
  const chunks = Array.from({ length: n }, (_, i) => ({
    type: "text-delta",
    id: "t",
    delta: `${i}`,
  }));
  await appendChunks(t.db, turnId, 0, chunks);
}

async function chunkCount(turnId: string): Promise<number> {
  return (await t.db.select().from(turnChunks).where(eq(turnChunks.turnId, turnId))).length;
}

/** Moves a turn's end (and heartbeat) `seconds` into the past. */
async function endedAgo(turnId: string, seconds: number, status?: "done"): Promise<void> {
  const ago = sql`now() - ${sql.raw(`interval '${seconds} seconds'`)}`;
  await t.db
    .update(turns)
    .set({ endedAt: ago, heartbeatAt: ago, ...(status && { status }) })
    .where(eq(turns.id, turnId));
}

describe("stream rows left behind", () => {
  it("outlive the grace of the instance that ends a turn", () => {
    expect(LEFTOVER_CHUNKS_AFTER_SECONDS * 1000).toBeGreaterThan(CHUNK_GRACE_MS);
  });

  it("of a turn interrupted by a crash go once it has been over long enough", async () => {
    const crashed = await runningTurn(STALE_AFTER_SECONDS + 1);
    await withChunks(crashed.turnId, 4);
    const swept = await sweepDeadTurns({ db: t.db, kind: "postgres" });
    expect(swept.interrupted).toBeGreaterThanOrEqual(1);
    expect((await stateOf(crashed)).turn).toBe("interrupted");
    // Just marked: a follower that was behind still drains them.
    expect(await chunkCount(crashed.turnId)).toBe(4);
    await endedAgo(crashed.turnId, LEFTOVER_CHUNKS_AFTER_SECONDS + 1);
    await sweepDeadTurns({ db: t.db, kind: "postgres" });
    expect(await chunkCount(crashed.turnId)).toBe(0);
  });

  it("of a turn interrupted at a PGlite start go on a later sweep", async () => {
    const crashed = await runningTurn(0);
    await withChunks(crashed.turnId, 3);
    await sweepDeadTurns({ db: t.db, kind: "pglite" }, { atStart: true });
    expect((await stateOf(crashed)).turn).toBe("interrupted");
    await endedAgo(crashed.turnId, LEFTOVER_CHUNKS_AFTER_SECONDS + 1);
    await sweepDeadTurns({ db: t.db, kind: "pglite" });
    expect(await chunkCount(crashed.turnId)).toBe(0);
  });

  it("of a long finished turn go; a running turn's and a just finished turn's stay", async () => {
    const old = await runningTurn(0);
    const recent = await runningTurn(0);
    const running = await runningTurn(0);
    for (const turn of [old, recent, running]) await withChunks(turn.turnId, 2);
    await endedAgo(old.turnId, LEFTOVER_CHUNKS_AFTER_SECONDS + 1, "done");
    await endedAgo(recent.turnId, 5, "done");
    const swept = await sweepDeadTurns({ db: t.db, kind: "postgres" });
    expect(swept.chunksDeleted).toBeGreaterThanOrEqual(2);
    expect(await chunkCount(old.turnId)).toBe(0);
    expect(await chunkCount(recent.turnId)).toBe(2);
    expect(await chunkCount(running.turnId)).toBe(2);
  });

  it("go a bounded number of rows per statement, the rest on the next", async () => {
    const old = await runningTurn(0);
    await withChunks(old.turnId, 5);
    await endedAgo(old.turnId, LEFTOVER_CHUNKS_AFTER_SECONDS + 1, "done");
    expect(await deleteLeftoverTurnChunks(t.db, LEFTOVER_CHUNKS_AFTER_SECONDS, 3)).toBe(3);
    expect(await chunkCount(old.turnId)).toBe(2);
    expect(await deleteLeftoverTurnChunks(t.db, LEFTOVER_CHUNKS_AFTER_SECONDS, 3)).toBe(2);
    expect(await chunkCount(old.turnId)).toBe(0);
  });
});
