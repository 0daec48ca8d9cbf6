// The end of a turn in one statement: its last stream chunks, the message's final parts and
// status, the turn's outcome and the chat's status are written together (data-modifying CTEs
// run as one statement, in one snapshot), so a follower never sees the turn over without its
// last chunks, and the turn's end costs one round trip.
import { sql } from "drizzle-orm";
import { rowsOf, type Executor } from "@/db/client";
import { chats, messages, type ChatStatus, type MessageStatus, type TurnStatus } from "@/db/schema";
import { storable, storableText } from "../storable";
import { appendChunks, type ChatRow, type MessageRow } from "./chats";
import { rowFromJson } from "./json-rows";

export interface TurnEnd {
  turnId: string;
  chatId: string;
  messageId: string;
  /** The chunks not yet written, from `firstSeq` on. */
  firstSeq: number;
  chunks: Record<string, unknown>[];
  parts: unknown[];
  messageStatus: MessageStatus;
  turnStatus: Exclude<TurnStatus, "running">;
  error: string | null;
  /**
   * "waiting" only when no other turn of the chat runs (one may have started meanwhile, e.g.
   * a resume); the others unconditionally.
   */
  chatStatus: Extract<ChatStatus, "idle" | "waiting" | "error">;
  /** Whether the statement also returns the chat and message as stored (see TurnEndRows). */
  returnRows?: boolean;
}

/**
 * The chat and the message as the end left them, when asked for: what a reload shows. The chat
 * is null when its status was left to a turn that started meanwhile (see chatStatus).
 */
export interface TurnEndRows {
  chat: ChatRow | null;
  message: MessageRow | null;
}

export async function writeTurnEnd(db: Executor, end: TurnEnd): Promise<TurnEndRows | undefined> {
  const chunks = JSON.stringify(storable(end.chunks));
  const parts = JSON.stringify(storable(end.parts));
  const error = end.error === null ? null : storableText(end.error);
  const returning = end.returnRows ? sql`returning *` : sql``;
  const result = await db.execute(sql`
    with
      new_chunks as (
        insert into turn_chunks (turn_id, seq, chunk)
        select ${end.turnId}::uuid, ${end.firstSeq}::int + (c.ord::int - 1), c.value
        from jsonb_array_elements(${chunks}::jsonb) with ordinality as c(value, ord)
      ),
      message as (
        update messages set parts = ${parts}::jsonb, status = ${end.messageStatus}, updated_at = now()
        where id = ${end.messageId}::uuid
        ${returning}
      ),
      turn as (
        update turns set status = ${end.turnStatus}, error = ${error}, ended_at = now()
        where id = ${end.turnId}::uuid and status = 'running'
      ),
      chat as (
        update chats set status = ${end.chatStatus}, updated_at = now()
        where id = ${end.chatId}::uuid
          and (${end.chatStatus} <> 'waiting' or not exists (
            select 1 from turns
            where chat_id = ${end.chatId}::uuid and status = 'running' and id <> ${end.turnId}::uuid
          ))
        ${returning}
      )
    ${
      end.returnRows
        ? sql`select (select to_jsonb(m) from message m) as message, (select to_jsonb(c) from chat c) as chat`
        : sql`select 1`
    }`);
  if (!end.returnRows) return undefined;
  const [row] = rowsOf<{
    message: Record<string, unknown> | null;
    chat: Record<string, unknown> | null;
  }>(result);
  return {
    chat: rowFromJson<ChatRow>(chats, row?.chat ?? null),
    message: rowFromJson<MessageRow>(messages, row?.message ?? null),
  };
}

/** A finished turn's stream rows: its message holds everything they described. */
export async function deleteTurnChunks(db: Executor, turnIds: readonly string[]): Promise<void> {
  if (turnIds.length === 0) return;
  await db.execute(
    sql`delete from turn_chunks where turn_id in (${sql.join(
      turnIds.map((id) => sql`${id}::uuid`),
      sql`, `,
    )})`,
  );
}

/**
 * A running turn's next chunks, and its message's parts so far when given, in one statement.
 */
export async function writeTurnProgress(
  db: Executor,
  turnId: string,
  firstSeq: number,
  chunks: Record<string, unknown>[],
  message?: { id: string; parts: unknown[] },
): Promise<void> {
  if (!message) {
    if (chunks.length > 0) await appendChunks(db, turnId, firstSeq, chunks);
    return;
  }
  await db.execute(sql`
    with new_chunks as (
      insert into turn_chunks (turn_id, seq, chunk)
      select ${turnId}::uuid, ${firstSeq}::int + (c.ord::int - 1), c.value
      from jsonb_array_elements(${JSON.stringify(storable(chunks))}::jsonb) with ordinality as c(value, ord)
    )
    update messages set parts = ${JSON.stringify(storable(message.parts))}::jsonb, updated_at = now()
    where id = ${message.id}::uuid`);
}

/**
 * Stream rows nobody deleted after their turn: a turn interrupted by a crash (nobody was left
 * to schedule the deletion), or one whose instance stopped within the grace after its end.
 * Deletes the rows of every turn that is no longer running and ended more than
 * `endedSecondsAgo` ago, at most `limit` rows per call (the sweep runs again shortly), in
 * one statement. Driven from turn_chunks, which only holds running and just-ended turns, so
 * it never reads the turn history. Returns the number of rows deleted.
 */
export async function deleteLeftoverTurnChunks(
  db: Executor,
  endedSecondsAgo: number,
  limit: number,
): Promise<number> {
  // Integers we control, inlined: a bound parameter cannot type an interval literal.
  const seconds = sql.raw(`interval '${Math.floor(endedSecondsAgo)} seconds'`);
  const result = await db.execute(sql`
    with gone as (
      delete from turn_chunks
      where (turn_id, seq) in (
        select c.turn_id, c.seq
        from turn_chunks c
        join turns t on t.id = c.turn_id
        where t.status <> 'running'
          and coalesce(t.ended_at, t.heartbeat_at) < now() - ${seconds}
        limit ${sql.raw(String(Math.floor(limit)))}
      )
      returning 1
    )
    select count(*)::int as n from gone`);
  return Number(rowsOf<{ n: number }>(result)[0]?.n ?? 0);
}
