import "server-only";
import { and, eq, lt, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { mcpOauthStates, mcpServerUserTokens, oidcAccounts } from "../schema";
import type { McpUserTokenRow } from "./mcp-servers";
import type { OidcAccountRow } from "./oidc-accounts";

export type OauthStateRow = typeof mcpOauthStates.$inferSelect;
export type OauthStateInsert = typeof mcpOauthStates.$inferInsert;

/** A user may have this many authorization requests in flight; older ones are dropped. */
const MAX_PENDING_PER_USER = 20;

export async function insertOauthState(db: Executor, row: OauthStateInsert): Promise<void> {
  await db.delete(mcpOauthStates).where(lt(mcpOauthStates.expiresAt, sql`now()`));
  await db.insert(mcpOauthStates).values(row);
  await db.execute(sql`
    delete from ${mcpOauthStates}
    where ${mcpOauthStates.userId} = ${row.userId}
      and ${mcpOauthStates.id} not in (
        select ${mcpOauthStates.id} from ${mcpOauthStates}
        where ${mcpOauthStates.userId} = ${row.userId}
        order by ${mcpOauthStates.createdAt} desc, ${mcpOauthStates.id}
        limit ${MAX_PENDING_PER_USER}
      )`);
}

/**
 * Takes a state out of the table: whoever deletes the row owns it, so a state is used at most
 * once even when two callbacks race. Checks (user, server, expiry) are the caller's.
 */
export async function consumeOauthState(
  db: Executor,
  stateHash: string,
): Promise<OauthStateRow | undefined> {
  const [row] = await db
    .delete(mcpOauthStates)
    .where(eq(mcpOauthStates.stateHash, stateHash))
    .returning();
  return row;
}

/**
 * Serialises every token change of one (user, server) or one OIDC account across instances:
 * a transaction-scoped advisory lock on a hash of the key, released at commit or rollback.
 */
export async function lockTokenKey(tx: Executor, key: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
}

export function mcpTokenLockKey(serverId: string, userId: string): string {
  return `mcp_server_user_tokens:${serverId}:${userId}`;
}

export function oidcTokenLockKey(accountId: string): string {
  return `oidc_accounts:${accountId}`;
}

export async function findUserToken(
  db: Executor,
  serverId: string,
  userId: string,
): Promise<McpUserTokenRow | undefined> {
  const [row] = await db
    .select()
    .from(mcpServerUserTokens)
    .where(and(eq(mcpServerUserTokens.serverId, serverId), eq(mcpServerUserTokens.userId, userId)))
    .limit(1);
  return row;
}

type TokenColumns = Pick<
  typeof mcpServerUserTokens.$inferInsert,
  "accessTokenEnc" | "refreshTokenEnc" | "scope" | "expiresAt" | "tokenType"
>;

export async function insertUserToken(
  db: Executor,
  row: TokenColumns & { id: string; serverId: string; userId: string },
): Promise<void> {
  await db.insert(mcpServerUserTokens).values({ ...row, needsReconnect: false });
}

export async function updateUserToken(
  db: Executor,
  id: string,
  tokens: TokenColumns & { needsReconnect?: boolean },
): Promise<void> {
  await db
    .update(mcpServerUserTokens)
    .set({ needsReconnect: false, ...tokens, updatedAt: sql`now()` })
    .where(eq(mcpServerUserTokens.id, id));
}

/** Step-up: the connection must be authorized again, for `scope` (lib/mcp-config/step-up.ts). */
export async function markTokenForStepUp(db: Executor, id: string, scope: string): Promise<void> {
  await db
    .update(mcpServerUserTokens)
    .set({ scope, needsReconnect: true, updatedAt: sql`now()` })
    .where(eq(mcpServerUserTokens.id, id));
}

export async function markTokenNeedsReconnect(db: Executor, id: string): Promise<void> {
  await db
    .update(mcpServerUserTokens)
    .set({ needsReconnect: true, updatedAt: sql`now()` })
    .where(eq(mcpServerUserTokens.id, id));
}

export async function deleteUserToken(
  db: Executor,
  serverId: string,
  userId: string,
): Promise<McpUserTokenRow | undefined> {
  const [row] = await db
    .delete(mcpServerUserTokens)
    .where(and(eq(mcpServerUserTokens.serverId, serverId), eq(mcpServerUserTokens.userId, userId)))
    .returning();
  return row;
}

export async function findOidcAccountById(
  db: Executor,
  id: string,
): Promise<OidcAccountRow | undefined> {
  const [row] = await db.select().from(oidcAccounts).where(eq(oidcAccounts.id, id)).limit(1);
  return row;
}
