import "server-only";
import { and, desc, eq, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { apiTokens, users } from "../schema";

export type ApiTokenRow = typeof apiTokens.$inferSelect;

export async function insertApiToken(
  db: Executor,
  token: { userId: string; name: string; tokenHash: string; prefix: string },
): Promise<ApiTokenRow> {
  const [row] = await db.insert(apiTokens).values(token).returning();
  return row!;
}

export async function listApiTokens(db: Executor, userId: string): Promise<ApiTokenRow[]> {
  return db
    .select()
    .from(apiTokens)
    .where(eq(apiTokens.userId, userId))
    .orderBy(desc(apiTokens.createdAt), desc(apiTokens.id));
}

/** Deletes a token only if it belongs to `userId`; returns whether one was deleted. */
export async function deleteApiToken(db: Executor, userId: string, id: string): Promise<boolean> {
  const rows = await db
    .delete(apiTokens)
    .where(and(eq(apiTokens.id, id), eq(apiTokens.userId, userId)))
    .returning({ id: apiTokens.id });
  return rows.length > 0;
}

export async function findUserByTokenHash(db: Executor, tokenHash: string) {
  const [row] = await db
    .select({ tokenId: apiTokens.id, lastUsedAt: apiTokens.lastUsedAt, user: users })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(eq(apiTokens.tokenHash, tokenHash))
    .limit(1);
  return row;
}

export async function touchApiToken(db: Executor, id: string): Promise<void> {
  await db
    .update(apiTokens)
    .set({ lastUsedAt: sql`now()` })
    .where(eq(apiTokens.id, id));
}
