import "server-only";
// The rounds of 2026-07-28 multi-round-trip tool calls (table mcp_input_rounds): kept sealed
// while the person is asked, claimed exactly once. See docs/mcp-2026-wire.md.
import { isNotNull, lt, or, sql } from "drizzle-orm";
import { rowsOf, type Executor } from "../client";
import { mcpInputRounds } from "../schema-tool-calls";

export async function insertInputRound(
  db: Executor,
  row: typeof mcpInputRounds.$inferInsert,
): Promise<void> {
  await db.insert(mcpInputRounds).values(row);
}

/**
 * Takes a round's sealed state, once: the row is marked consumed and its state erased in the
 * same statement, so of two claims (on any instances) exactly one gets it. Undefined when the
 * round was already claimed, has expired or does not exist.
 */
export async function claimInputRound(db: Executor, id: string): Promise<string | undefined> {
  const rows = rowsOf<{ state_enc: string | null }>(
    await db.execute(sql`
      update ${mcpInputRounds} set consumed_at = now(), state_enc = null
      from (
        select id, state_enc from ${mcpInputRounds}
        where id = ${id} and consumed_at is null and expires_at > now()
        for update
      ) as claimed
      where ${mcpInputRounds}.id = claimed.id
      returning claimed.state_enc`),
  );
  return rows[0]?.state_enc ?? undefined;
}

/** Deletes rounds already claimed or past their time; returns how many. */
export async function deleteSpentInputRounds(db: Executor): Promise<number> {
  const deleted = await db
    .delete(mcpInputRounds)
    .where(or(isNotNull(mcpInputRounds.consumedAt), lt(mcpInputRounds.expiresAt, sql`now()`)))
    .returning({ id: mcpInputRounds.id });
  return deleted.length;
}
