import "server-only";
import { and, eq, gt, lte, ne, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { sessions, users } from "../schema";
import type { UserRow } from "./users";

/** Starts a session for a sign-in; the user's expired rows are swept on the way. */
export async function insertSession(
  db: Executor,
  userId: string,
  maxAgeSeconds: number,
): Promise<string> {
  await db
    .delete(sessions)
    .where(and(eq(sessions.userId, userId), lte(sessions.expiresAt, sql`now()`)));
  const [row] = await db
    .insert(sessions)
    .values({
      userId,
      expiresAt: sql`now() + ${sql.raw(`interval '${Math.floor(maxAgeSeconds)} seconds'`)}`,
    })
    .returning({ id: sessions.id });
  return row!.id;
}

/**
 * The user behind a live session, in one query: the row must exist, be unexpired and belong to
 * the user the cookie names. Undefined for a revoked or unknown session.
 */
export async function findSessionUser(
  db: Executor,
  sessionId: string,
  userId: string,
): Promise<UserRow | undefined> {
  const [row] = await db
    .select({ user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(
        eq(sessions.id, sessionId),
        eq(sessions.userId, userId),
        gt(sessions.expiresAt, sql`now()`),
      ),
    )
    .limit(1);
  return row?.user;
}

export async function deleteSession(db: Executor, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

/** Ends every session of a user, or every one but `exceptId` (the caller's own). */
export async function deleteUserSessions(
  db: Executor,
  userId: string,
  exceptId?: string,
): Promise<number> {
  const rows = await db
    .delete(sessions)
    .where(
      exceptId
        ? and(eq(sessions.userId, userId), ne(sessions.id, exceptId))
        : eq(sessions.userId, userId),
    )
    .returning({ id: sessions.id });
  return rows.length;
}
