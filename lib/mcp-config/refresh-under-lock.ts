import "server-only";
// Refreshing a stored OAuth token once, for MCP server tokens and OIDC sign-in tokens alike
// (docs/security.md, point 4: single-flight refresh across instances). Inside one transaction
// holding an advisory lock on the token's key, the row is read again: a token someone else just
// refreshed is used as is, and a rotating refresh token is sent exactly once (RFC 9700
// §4.14.2: reuse of a rotated token revokes the grant). Only what differs between the two
// kinds of token is handed in: how to read, open, exchange, store and record a failure.
import type { Executor } from "@/db/client";
import { lockTokenKey } from "@/db/queries/mcp-oauth";
import { TokenEndpointError, type TokenSet } from "@/lib/oauth/tokens";

/**
 * A token this close to expiry is refreshed first: it could lapse mid-request, and a turn
 * holds its connection for minutes.
 */
export const REFRESH_BEFORE_EXPIRY_MS = 60_000;

export type FreshTokenResult =
  | { ok: true; accessToken: string }
  | {
      ok: false;
      /** missing: never connected; reconnect: the grant is dead; transient: try again later. */
      reason: "missing" | "reconnect" | "transient";
    };

export function needsRefresh(expiresAt: Date | null, now = Date.now()): boolean {
  return expiresAt !== null && expiresAt.getTime() - REFRESH_BEFORE_EXPIRY_MS <= now;
}

export function isExpired(expiresAt: Date | null, now = Date.now()): boolean {
  return expiresAt !== null && expiresAt.getTime() <= now;
}

export function expiresAtFrom(expiresIn: number | null, now = Date.now()): Date | null {
  return expiresIn === null ? null : new Date(now + expiresIn * 1000);
}

/** In-process coalescing: concurrent callers on this instance share one database round. */
export function coalesce<T>(
  map: Map<string, Promise<T>>,
  key: string,
  run: () => Promise<T>,
): Promise<T> {
  const running = map.get(key);
  if (running) return running;
  const started = run().finally(() => map.delete(key));
  map.set(key, started);
  return started;
}

export interface StoredToken {
  accessTokenEnc: string | null;
  refreshTokenEnc: string | null;
  expiresAt: Date | null;
}

export interface RefreshSpec<Row extends StoredToken> {
  lockKey: string;
  /** The row as the caller saw it before waiting for the lock. */
  seen: Row;
  reread(tx: Executor): Promise<Row | undefined>;
  /** An answer for a row that may not be refreshed at all (e.g. marked for reconnect). */
  refusal?(current: Row): FreshTokenResult | undefined;
  openAccess(row: Row): string;
  openRefresh(row: Row): string | null;
  /** Calls the token endpoint; throws TokenEndpointError when it refuses. */
  exchange(refreshToken: string): Promise<TokenSet>;
  store(tx: Executor, current: Row, tokens: TokenSet): Promise<void>;
  /** Marks a dead grant and audits the failure, in the same transaction. */
  recordFailure(tx: Executor, current: Row, error: TokenEndpointError): Promise<void>;
}

export function refreshUnderLock<Row extends StoredToken>(
  db: Executor,
  spec: RefreshSpec<Row>,
): Promise<FreshTokenResult> {
  return db.transaction(async (tx): Promise<FreshTokenResult> => {
    // Only `tx` below: on PGlite the transaction holds the one connection, and on Postgres a
    // second pool connection per waiter could exhaust the pool.
    await lockTokenKey(tx, spec.lockKey);
    const current = await spec.reread(tx);
    if (!current?.accessTokenEnc) return { ok: false, reason: "missing" };
    const refused = spec.refusal?.(current);
    if (refused) return refused;
    // Until it actually expires, a token we could not refresh is still usable.
    const keep = (): FreshTokenResult =>
      isExpired(current.expiresAt)
        ? { ok: false, reason: "transient" }
        : { ok: true, accessToken: spec.openAccess(current) };
    const changed =
      current.accessTokenEnc !== spec.seen.accessTokenEnc ||
      current.refreshTokenEnc !== spec.seen.refreshTokenEnc;
    // Refreshed (or reconnected) by someone else while we waited for the lock.
    if (changed || !needsRefresh(current.expiresAt)) return keep();
    const refreshToken = spec.openRefresh(current);
    if (!refreshToken) return { ok: false, reason: "reconnect" };
    try {
      const tokens = await spec.exchange(refreshToken);
      await spec.store(tx, current, tokens);
      return { ok: true, accessToken: tokens.accessToken };
    } catch (error) {
      if (!(error instanceof TokenEndpointError)) throw error;
      await spec.recordFailure(tx, current, error);
      return error.permanent ? { ok: false, reason: "reconnect" } : keep();
    }
  });
}
