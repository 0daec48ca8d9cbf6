import "server-only";
import { and, asc, desc, eq, gte, lt, or, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { activePath } from "../message-tree";
import { storable, storableText } from "../storable";
import {
  chats,
  messages,
  turnChunks,
  turns,
  type ChatStatus,
  type MessageStatus,
  type TurnStatus,
} from "../schema";

export type ChatRow = typeof chats.$inferSelect;
export type MessageRow = typeof messages.$inferSelect;
export type TurnRow = typeof turns.$inferSelect;

export async function insertChat(db: Executor, row: typeof chats.$inferInsert): Promise<ChatRow> {
  const [created] = await db.insert(chats).values(row).returning();
  return created!;
}

/** A chat of `ownerId`; someone else's chat is indistinguishable from a missing one. */
export async function findOwnChat(
  db: Executor,
  ownerId: string,
  id: string,
): Promise<ChatRow | undefined> {
  const [row] = await db
    .select()
    .from(chats)
    .where(and(eq(chats.id, id), eq(chats.ownerId, ownerId)))
    .limit(1);
  return row;
}

export interface ChatCursor {
  updatedAt: Date;
  id: string;
}

/** Newest first by last activity; `limit + 1` rows tell whether another page exists. */
export async function listOwnChats(
  db: Executor,
  ownerId: string,
  opts: { limit: number; cursor?: ChatCursor },
): Promise<ChatRow[]> {
  const after = opts.cursor
    ? or(
        lt(chats.updatedAt, opts.cursor.updatedAt),
        and(eq(chats.updatedAt, opts.cursor.updatedAt), lt(chats.id, opts.cursor.id)),
      )
    : undefined;
  return db
    .select()
    .from(chats)
    .where(and(eq(chats.ownerId, ownerId), sql`${chats.parentChatId} is null`, after))
    .orderBy(desc(chats.updatedAt), desc(chats.id))
    .limit(opts.limit + 1);
}

/** `text` as a LIKE pattern matching itself anywhere: `%`, `_` and `\\` lose their meaning. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export type ChatSearchRow = ChatRow & { hitText: string | null };

/**
 * The owner's chats whose title or any message text (any branch) contains `query`, case
 * insensitive, newest first like the list; `hitText` is the newest matching text, if any.
 */
export async function searchOwnChats(
  db: Executor,
  ownerId: string,
  opts: { query: string; limit: number; cursor?: ChatCursor },
): Promise<ChatSearchRow[]> {
  const like = containsPattern(opts.query);
  const texts = sql`from ${messages} as m
    cross join lateral jsonb_array_elements(
      case when jsonb_typeof(m.parts) = 'array' then m.parts else '[]'::jsonb end
    ) as p(part)
    where m.chat_id = ${chats.id} and p.part->>'type' = 'text' and p.part->>'text' ilike ${like}`;
  const after = opts.cursor
    ? or(
        lt(chats.updatedAt, opts.cursor.updatedAt),
        and(eq(chats.updatedAt, opts.cursor.updatedAt), lt(chats.id, opts.cursor.id)),
      )
    : undefined;
  const rows = await db
    .select({
      chat: chats,
      hitText: sql<
        string | null
      >`(select p.part->>'text' ${texts} order by m.created_at desc limit 1)`,
    })
    .from(chats)
    .where(
      and(
        eq(chats.ownerId, ownerId),
        sql`${chats.parentChatId} is null`,
        or(sql`${chats.title} ilike ${like}`, sql`exists (select 1 ${texts})`),
        after,
      ),
    )
    .orderBy(desc(chats.updatedAt), desc(chats.id))
    .limit(opts.limit + 1);
  return rows.map((r) => ({ ...r.chat, hitText: r.hitText }));
}

/** The sub-agent chats a chat spawned, oldest first. */
export async function listChildChats(
  db: Executor,
  ownerId: string,
  parentId: string,
): Promise<ChatRow[]> {
  return db
    .select()
    .from(chats)
    .where(and(eq(chats.ownerId, ownerId), eq(chats.parentChatId, parentId)))
    .orderBy(asc(chats.createdAt), asc(chats.id));
}

/** A sub-agent chat of `parentId`; any other chat is indistinguishable from a missing one. */
export async function findChildChat(
  db: Executor,
  ownerId: string,
  parentId: string,
  id: string,
): Promise<ChatRow | undefined> {
  const [row] = await db
    .select()
    .from(chats)
    .where(and(eq(chats.id, id), eq(chats.ownerId, ownerId), eq(chats.parentChatId, parentId)))
    .limit(1);
  return row;
}

export async function updateChat(
  db: Executor,
  id: string,
  patch: Partial<
    Pick<ChatRow, "title" | "model" | "mcpServerIds" | "status" | "workspaceId" | "leafMessageId">
  >,
): Promise<ChatRow> {
  const [row] = await db
    .update(chats)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(eq(chats.id, id))
    .returning();
  return row!;
}

export async function setChatStatus(db: Executor, id: string, status: ChatStatus): Promise<void> {
  await db
    .update(chats)
    .set({ status, updatedAt: sql`now()` })
    .where(eq(chats.id, id));
}

export async function deleteChat(db: Executor, ownerId: string, id: string): Promise<boolean> {
  const rows = await db
    .delete(chats)
    .where(and(eq(chats.id, id), eq(chats.ownerId, ownerId)))
    .returning({ id: chats.id });
  return rows.length > 0;
}

export async function insertMessage(
  db: Executor,
  row: typeof messages.$inferInsert,
): Promise<MessageRow> {
  // Parts hold model text and tool results: see storable.ts.
  const [created] = await db
    .insert(messages)
    .values({ ...row, ...(row.parts !== undefined && { parts: storable(row.parts) }) })
    .returning();
  return created!;
}

export async function updateMessage(
  db: Executor,
  id: string,
  patch: { parts?: unknown[]; status?: MessageStatus },
): Promise<void> {
  await db
    .update(messages)
    .set({
      ...patch,
      ...(patch.parts !== undefined && { parts: storable(patch.parts) }),
      updatedAt: sql`now()`,
    })
    .where(eq(messages.id, id));
}

export async function findMessage(db: Executor, id: string): Promise<MessageRow | undefined> {
  const [row] = await db.select().from(messages).where(eq(messages.id, id)).limit(1);
  return row;
}

/** Every message of the chat, all branches, oldest first. */
export async function listAllMessages(db: Executor, chatId: string): Promise<MessageRow[]> {
  return db
    .select()
    .from(messages)
    .where(eq(messages.chatId, chatId))
    .orderBy(asc(messages.createdAt), asc(messages.id));
}

/** The chat's current branch, oldest first: what the chat shows and what the model reads. */
export async function listMessages(db: Executor, chatId: string): Promise<MessageRow[]> {
  const [all, [chat]] = await Promise.all([
    listAllMessages(db, chatId),
    db.select({ leaf: chats.leafMessageId }).from(chats).where(eq(chats.id, chatId)).limit(1),
  ]);
  return activePath(all, chat?.leaf ?? null);
}

/**
 * Locks the chat's row for the rest of the transaction and returns its leaf (or its newest
 * message). Whatever moves the leaf takes this lock first, so a turn's start and a branch switch
 * cannot interleave.
 */
export async function lockChatLeaf(db: Executor, chatId: string): Promise<string | null> {
  const [row] = await db
    .select({ leaf: chats.leafMessageId })
    .from(chats)
    .where(eq(chats.id, chatId))
    .for("update");
  if (row?.leaf) return row.leaf;
  const [newest] = await db
    .select({ id: messages.id })
    .from(messages)
    .where(eq(messages.chatId, chatId))
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(1);
  return newest?.id ?? null;
}

export async function setChatLeaf(db: Executor, chatId: string, leafId: string): Promise<void> {
  await db
    .update(chats)
    // Not updatedAt: looking at another branch is not activity that reorders the history.
    .set({ leafMessageId: leafId })
    .where(eq(chats.id, chatId));
}

export async function insertTurn(db: Executor, row: typeof turns.$inferInsert): Promise<TurnRow> {
  const [created] = await db.insert(turns).values(row).returning();
  return created!;
}

export async function findTurn(db: Executor, id: string): Promise<TurnRow | undefined> {
  const [row] = await db.select().from(turns).where(eq(turns.id, id)).limit(1);
  return row;
}

export async function findRunningTurn(db: Executor, chatId: string): Promise<TurnRow | undefined> {
  const [row] = await db
    .select()
    .from(turns)
    .where(and(eq(turns.chatId, chatId), eq(turns.status, "running")))
    .limit(1);
  return row;
}

export async function finishTurn(
  db: Executor,
  id: string,
  status: Exclude<TurnStatus, "running">,
  error: string | null,
): Promise<void> {
  await db
    .update(turns)
    .set({ status, error: error === null ? null : storableText(error), endedAt: sql`now()` })
    .where(and(eq(turns.id, id), eq(turns.status, "running")));
}

/**
 * Refreshes the heartbeat and reports whether a cancel was requested meanwhile, or whether
 * the turn is no longer running (another instance took it for dead).
 */
export async function heartbeatTurn(
  db: Executor,
  id: string,
): Promise<{ cancelRequested: boolean; running: boolean }> {
  const [row] = await db
    .update(turns)
    .set({ heartbeatAt: sql`now()` })
    .where(and(eq(turns.id, id), eq(turns.status, "running")))
    .returning({ cancelRequested: turns.cancelRequested });
  return { cancelRequested: row?.cancelRequested ?? false, running: row !== undefined };
}

export async function requestTurnCancel(db: Executor, id: string): Promise<void> {
  await db.update(turns).set({ cancelRequested: true }).where(eq(turns.id, id));
}

/**
 * Marks turns whose instance stopped beating as interrupted, with their message and chat;
 * `"all"` marks every running turn (at the start of the only instance there can be).
 * Runs at start, periodically, and whenever a reader finds a stale turn.
 */
export async function interruptStaleTurns(
  db: Executor,
  staleAfterSeconds: number | "all",
): Promise<number> {
  const stale = await db
    .update(turns)
    .set({
      status: "interrupted",
      endedAt: sql`now()`,
      error: "The server stopped while this turn ran.",
    })
    .where(
      and(
        eq(turns.status, "running"),
        staleAfterSeconds === "all"
          ? undefined
          : // An integer we control, inlined: a bound parameter cannot type an interval literal.
            sql`${turns.heartbeatAt} < now() - ${sql.raw(`interval '${Math.floor(staleAfterSeconds)} seconds'`)}`,
      ),
    )
    .returning({ chatId: turns.chatId, messageId: turns.assistantMessageId });
  for (const t of stale) {
    await db
      .update(messages)
      .set({ status: "interrupted", updatedAt: sql`now()` })
      .where(and(eq(messages.id, t.messageId), eq(messages.status, "streaming")));
    await db.update(chats).set({ status: "error" }).where(eq(chats.id, t.chatId));
  }
  return stale.length;
}

export async function appendChunks(
  db: Executor,
  turnId: string,
  firstSeq: number,
  chunks: Record<string, unknown>[],
): Promise<void> {
  if (chunks.length === 0) return;
  await db
    .insert(turnChunks)
    .values(chunks.map((chunk, i) => ({ turnId, seq: firstSeq + i, chunk: storable(chunk) })));
}

export async function readChunks(
  db: Executor,
  turnId: string,
  fromSeq: number,
  limit = 500,
): Promise<{ seq: number; chunk: Record<string, unknown> }[]> {
  return db
    .select({ seq: turnChunks.seq, chunk: turnChunks.chunk })
    .from(turnChunks)
    .where(and(eq(turnChunks.turnId, turnId), gte(turnChunks.seq, fromSeq)))
    .orderBy(asc(turnChunks.seq))
    .limit(limit);
}
