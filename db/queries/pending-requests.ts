import "server-only";
import { and, asc, eq, inArray, isNull, lte, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { chats, turns } from "../schema";
import { pendingRequests, type PendingKind, type PendingState } from "../schema-tool-calls";

export type PendingRequestRow = typeof pendingRequests.$inferSelect;

/** A chat by id, whoever owns it: the resume of a paused turn runs as the chat's owner. */
export async function findChatById(db: Executor, id: string) {
  const [row] = await db.select().from(chats).where(eq(chats.id, id)).limit(1);
  return row;
}

export async function insertPendingRequest(
  db: Executor,
  row: typeof pendingRequests.$inferInsert,
): Promise<PendingRequestRow> {
  const [created] = await db.insert(pendingRequests).values(row).returning();
  return created!;
}

/** Every request of a chat, oldest first. */
export async function listChatRequests(
  db: Executor,
  chatId: string,
  kind?: PendingKind,
): Promise<PendingRequestRow[]> {
  return db
    .select()
    .from(pendingRequests)
    .where(
      and(eq(pendingRequests.chatId, chatId), kind ? eq(pendingRequests.kind, kind) : undefined),
    )
    .orderBy(asc(pendingRequests.createdAt), asc(pendingRequests.id));
}

/** The requests of one assistant message, for the turn that carries their answers. */
export async function listMessageRequests(
  db: Executor,
  messageId: string,
): Promise<PendingRequestRow[]> {
  return db
    .select()
    .from(pendingRequests)
    .where(eq(pendingRequests.messageId, messageId))
    .orderBy(asc(pendingRequests.createdAt));
}

/** A request of a chat, locked for the transaction that answers it. */
export async function lockChatRequest(
  db: Executor,
  chatId: string,
  id: string,
): Promise<PendingRequestRow | undefined> {
  const [row] = await db
    .select()
    .from(pendingRequests)
    .where(and(eq(pendingRequests.id, id), eq(pendingRequests.chatId, chatId)))
    .for("update")
    .limit(1);
  return row;
}

/** Answers a request that is still open; undefined when someone answered first. */
export async function decideRequest(
  db: Executor,
  id: string,
  answer: { state: PendingState; decidedBy: string | null; response?: Record<string, unknown> },
): Promise<PendingRequestRow | undefined> {
  const [row] = await db
    .update(pendingRequests)
    .set({
      state: answer.state,
      decidedBy: answer.decidedBy,
      decidedAt: sql`now()`,
      ...(answer.response !== undefined && { response: answer.response }),
    })
    .where(and(eq(pendingRequests.id, id), eq(pendingRequests.state, "pending")))
    .returning();
  return row;
}

/**
 * Expires open requests past their deadline (of one chat, or everywhere) and returns them. The
 * update claims each row: of several instances sweeping at once, exactly one gets it.
 */
export async function expireDueRequests(
  db: Executor,
  opts: { chatId?: string; limit?: number } = {},
): Promise<PendingRequestRow[]> {
  const due = db
    .select({ id: pendingRequests.id })
    .from(pendingRequests)
    .where(
      and(
        eq(pendingRequests.state, "pending"),
        lte(pendingRequests.expiresAt, sql`now()`),
        opts.chatId ? eq(pendingRequests.chatId, opts.chatId) : undefined,
      ),
    )
    .limit(opts.limit ?? 100)
    .for("update", { skipLocked: true });
  return db
    .update(pendingRequests)
    .set({ state: "expired", decidedAt: sql`now()` })
    .where(and(inArray(pendingRequests.id, due), eq(pendingRequests.state, "pending")))
    .returning();
}

/**
 * Messages whose questions are all answered but whose answers no turn has carried yet, with
 * no turn running in their chat: what a resume (or the sweep after a crash) must pick up.
 */
export async function findResumableMessages(
  db: Executor,
  opts: { chatId?: string; limit?: number } = {},
): Promise<{ chatId: string; messageId: string }[]> {
  const rows = await db
    .selectDistinct({ chatId: pendingRequests.chatId, messageId: pendingRequests.messageId })
    .from(pendingRequests)
    .where(
      and(
        isNull(pendingRequests.resumedTurnId),
        opts.chatId ? eq(pendingRequests.chatId, opts.chatId) : undefined,
        sql`not exists (select 1 from ${pendingRequests} open where open.message_id = ${pendingRequests.messageId} and open.state = 'pending')`,
        sql`not exists (select 1 from ${turns} where ${turns.chatId} = ${pendingRequests.chatId} and ${turns.status} = 'running')`,
      ),
    )
    .limit(opts.limit ?? 50);
  return rows;
}

/** Marks a message's answered requests as carried by `turnId`. */
export async function markResumed(db: Executor, messageId: string, turnId: string): Promise<void> {
  await db
    .update(pendingRequests)
    .set({ resumedTurnId: turnId })
    .where(and(eq(pendingRequests.messageId, messageId), isNull(pendingRequests.resumedTurnId)));
}

/** Open requests of a chat. */
export async function countOpenRequests(db: Executor, chatId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(pendingRequests)
    .where(and(eq(pendingRequests.chatId, chatId), eq(pendingRequests.state, "pending")));
  return row?.n ?? 0;
}

/**
 * A message's open requests are closed by a new message in the chat (the person moved on):
 * they count as declined by the owner. Returns the closed rows.
 */
export async function closeOpenRequests(
  db: Executor,
  chatId: string,
  decidedBy: string,
  why: "superseded" | "stopped" = "superseded",
): Promise<PendingRequestRow[]> {
  return db
    .update(pendingRequests)
    .set({
      state: "denied",
      decidedBy,
      decidedAt: sql`now()`,
      response: { [why]: true },
      resumedTurnId: sql`${pendingRequests.turnId}`,
    })
    .where(and(eq(pendingRequests.chatId, chatId), eq(pendingRequests.state, "pending")))
    .returning();
}

/** Answered requests no turn carried yet are dropped: a new message came first. */
export async function dropUnresumed(db: Executor, chatId: string): Promise<PendingRequestRow[]> {
  return db
    .update(pendingRequests)
    .set({ resumedTurnId: sql`${pendingRequests.turnId}` })
    .where(and(eq(pendingRequests.chatId, chatId), isNull(pendingRequests.resumedTurnId)))
    .returning();
}

/** Sets the chat waiting, unless a turn started in the meantime (that turn sets the status). */
export async function setChatWaiting(db: Executor, chatId: string): Promise<void> {
  await db
    .update(chats)
    .set({ status: "waiting", updatedAt: sql`now()` })
    .where(
      and(
        eq(chats.id, chatId),
        sql`not exists (select 1 from ${turns} where ${turns.chatId} = ${chatId} and ${turns.status} = 'running')`,
      ),
    );
}
