// Dead-turn repair on the real database (PGlite, or Postgres with TOOLGATE_TEST_DB=postgres).
import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { heartbeatTurn, insertChat, insertMessage, insertTurn } from "@/db/queries/chats";
import { chats, messages, turns } from "@/db/schema";
import { withTestDatabase } from "@/lib/testing/db";
import { seedUser } from "@/lib/testing/fixtures";
import { HEARTBEAT_MS, STALE_AFTER_SECONDS, SWEEP_MS, sweepDeadTurns } from "./turn-liveness";

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
