import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { oidcAccounts } from "../schema";

export type OidcAccountRow = typeof oidcAccounts.$inferSelect;
export type OidcAccountInsert = typeof oidcAccounts.$inferInsert;

export async function findOidcAccount(
  db: Executor,
  issuer: string,
  subject: string,
): Promise<OidcAccountRow | undefined> {
  const [row] = await db
    .select()
    .from(oidcAccounts)
    .where(and(eq(oidcAccounts.issuer, issuer), eq(oidcAccounts.subject, subject)))
    .limit(1);
  return row;
}

export async function insertOidcAccount(db: Executor, row: OidcAccountInsert): Promise<void> {
  await db.insert(oidcAccounts).values(row);
}

export async function updateOidcTokens(
  db: Executor,
  id: string,
  tokens: Pick<
    OidcAccountInsert,
    "accessTokenEnc" | "refreshTokenEnc" | "idTokenEnc" | "expiresAt" | "scope"
  >,
): Promise<void> {
  await db
    .update(oidcAccounts)
    .set({ ...tokens, updatedAt: sql`now()` })
    .where(eq(oidcAccounts.id, id));
}
