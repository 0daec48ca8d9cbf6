// The start of a turn in one statement, when nothing waits for an answer in the chat (the
// common case): the turn row, the question, the answer's placeholder and the chat's new state
// are written together (data-modifying CTEs run as one statement, in one snapshot, atomically),
// so a turn's start costs one round trip instead of a transaction of nine.
//
// It keeps what the transaction guarantees: the chat's row is locked before its leaf is read
// (a branch switch waits, or is waited for, and the latest leaf is used), and the one-running-
// turn index refuses a second turn (the whole statement fails with that unique violation).
// When the chat has requests to close or drop (a paused call the person did not answer), it
// writes nothing and reports it: the caller runs the full transaction instead. So it does when
// a turn of the chat runs as of the statement's snapshot: that turn could still store a request
// this snapshot does not see, and would end before the new turn could be claimed; the
// transaction reads the requests after claiming. Once no turn runs, only answers and expiries
// change requests, and a request they change was already pending (so seen) in the snapshot.
// For the same reason the chat's messages as of the snapshot are current (no turn writes them,
// and answers do not come without a request): they are returned, the new turn's history
// without a second read.
import { sql, type SQL } from "drizzle-orm";
import { rowsOf, type Executor } from "../client";
import { messages } from "../schema";
import { storable } from "../storable";
import type { MessageRow } from "./chats";
import { rowFromJson } from "./json-rows";

export interface TurnClaim {
  chatId: string;
  turnId: string;
  answerId: string;
  planMode: boolean;
  /**
   * The new question, with its id; null when the turn regenerates the answer to
   * `parentOfAnswer` (no new question).
   */
  question: { id: string; parts: unknown[] } | null;
  /**
   * Where the question attaches: the chat's leaf (or its newest message) when "leaf", else the
   * given parent (an edit; null: a new root). With no question, the answer's parent.
   */
  parent: "leaf" | string | null;
  /** Set when the turn also replaces the chat's server selection. */
  mcpServerIds?: string[];
  /** Set when the chat gets its title from this question. */
  title?: string;
}

export type TurnClaimResult =
  /**
   * `before`: the chat's messages before this turn, all branches, oldest first; `question`:
   * the question stored (null when regenerating). Current: no turn ran as of the snapshot.
   */
  | { claimed: true; before: MessageRow[]; question: MessageRow | null }
  /** Open or unresumed requests, a running turn, or no such chat: nothing was written. */
  | { claimed: false };

const uuid = (id: string | null): SQL => (id === null ? sql`null::uuid` : sql`${id}::uuid`);

export async function claimTurn(db: Executor, t: TurnClaim): Promise<TurnClaimResult> {
  const parent =
    t.parent === "leaf"
      ? sql`coalesce(l.leaf, (select m.id from messages m where m.chat_id = l.id
          order by m.created_at desc, m.id desc limit 1))`
      : uuid(t.parent);
  const chatSet: SQL[] = [
    sql`status = 'running'`,
    sql`leaf_message_id = ${t.answerId}::uuid`,
    sql`updated_at = now()`,
  ];
  if (t.mcpServerIds !== undefined) {
    const ids = sql.join(
      t.mcpServerIds.map((id) => sql`${id}::uuid`),
      sql`, `,
    );
    chatSet.push(sql`mcp_server_ids = array[${ids}]::uuid[]`);
  }
  if (t.title !== undefined) chatSet.push(sql`title = ${storable(t.title)}`);
  // The answer follows the question by a millisecond: a clock ticking in whole milliseconds
  // (PGlite's) could otherwise give both the same clock_timestamp().
  const questionAndAnswer = t.question
    ? sql`
      question as (
        insert into messages (id, chat_id, parent_id, role, plan_mode, parts)
        select ${t.question.id}::uuid, l.id, ${parent}, 'user', ${t.planMode},
          ${JSON.stringify(storable(t.question.parts))}::jsonb
        from locked l
        returning *
      ),
      answer as (
        insert into messages (id, chat_id, parent_id, role, plan_mode, status, created_at)
        select ${t.answerId}::uuid, q.chat_id, ${t.question.id}::uuid, 'assistant', ${t.planMode},
          'streaming', q.created_at + interval '1 millisecond'
        from question q
      ),`
    : sql`
      answer as (
        insert into messages (id, chat_id, parent_id, role, plan_mode, status)
        select ${t.answerId}::uuid, l.id, ${parent}, 'assistant', ${t.planMode}, 'streaming'
        from locked l
      ),`;
  const result = await db.execute(sql`
    with
      asks as (
        select exists (
          select 1 from pending_requests p
          where p.chat_id = ${t.chatId}::uuid and (p.state = 'pending' or p.resumed_turn_id is null)
        ) or exists (
          select 1 from turns r where r.chat_id = ${t.chatId}::uuid and r.status = 'running'
        ) as blocked
      ),
      locked as (
        select c.id, c.leaf_message_id as leaf from chats c
        where c.id = ${t.chatId}::uuid and not (select blocked from asks)
        for update
      ),
      turn as (
        insert into turns (id, chat_id, assistant_message_id)
        select ${t.turnId}::uuid, l.id, ${t.answerId}::uuid from locked l
      ),
      ${questionAndAnswer}
      chat as (
        update chats c set ${sql.join(chatSet, sql`, `)}
        from locked l where c.id = l.id
      )
    select
      (select count(*) from locked)::int as claimed,
      (select coalesce(jsonb_agg(to_jsonb(m) order by m.created_at, m.id), '[]'::jsonb)
        from messages m where m.chat_id = ${t.chatId}::uuid and exists (select 1 from locked)
      ) as before,
      ${t.question ? sql`(select to_jsonb(q) from question q)` : sql`null::jsonb`} as question`);
  const [row] = rowsOf<{
    claimed: number;
    before: Record<string, unknown>[];
    question: Record<string, unknown> | null;
  }>(result);
  if (!row || row.claimed === 0) return { claimed: false };
  return {
    claimed: true,
    before: row.before.map((m) => rowFromJson<MessageRow>(messages, m)!),
    question: rowFromJson<MessageRow>(messages, row.question),
  };
}
