import "server-only";
import type { Executor } from "@/db/client";
import { recordAudit } from "@/db/queries/audit";
import {
  findUserToken,
  lockTokenKey,
  markTokenNeedsReconnect,
  mcpTokenLockKey,
  updateUserToken,
} from "@/db/queries/mcp-oauth";
import type { McpServerRow, McpUserTokenRow } from "@/db/queries/mcp-servers";
import { openSecret, sealSecret, secretAad } from "@/lib/crypto/secrets";
import { refreshAccessToken, TokenEndpointError } from "@/lib/oauth/tokens";
import { oauth2ClientOf } from "./oauth2-config";

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

const TABLE = "mcp_server_user_tokens";
const openColumn = (row: McpUserTokenRow, column: "access_token_enc" | "refresh_token_enc") => {
  const sealed = column === "access_token_enc" ? row.accessTokenEnc : row.refreshTokenEnc;
  return sealed === null ? null : openSecret(sealed, secretAad(TABLE, column, row.id));
};

export function sealUserTokenColumn(
  rowId: string,
  column: "access_token_enc" | "refresh_token_enc",
  value: string,
): string {
  return sealSecret(value, secretAad(TABLE, column, rowId));
}

export function expiresAtFrom(expiresIn: number | null, now = Date.now()): Date | null {
  return expiresIn === null ? null : new Date(now + expiresIn * 1000);
}

/** In-process coalescing: concurrent callers on this instance share one database round. */
const inflight = new Map<string, Promise<FreshTokenResult>>();

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

/**
 * The caller's access token for an oauth2 server, refreshed first when it is near expiry.
 * Refresh is single-flight per (user, server): on this instance through a shared promise, and
 * across instances through a Postgres advisory lock; after taking the lock the row is read
 * again, so a token someone else just refreshed is used as is and a rotating refresh token is
 * sent exactly once (RFC 9700 §4.14.2: reuse of a rotated token revokes the grant).
 */
export async function freshMcpAccessToken(
  db: Executor,
  row: McpServerRow,
  userId: string,
  opts: {
    prefetched?: McpUserTokenRow | null;
    coalesce?: boolean;
    /** False: only whether a token is usable matters (auth_connected); nothing is decrypted. */
    open?: boolean;
  } = {},
): Promise<FreshTokenResult> {
  const token =
    opts.prefetched !== undefined ? opts.prefetched : await findUserToken(db, row.id, userId);
  if (!token?.accessTokenEnc) return { ok: false, reason: "missing" };
  if (token.needsReconnect) return { ok: false, reason: "reconnect" };
  const usable = (): FreshTokenResult => ({
    ok: true,
    accessToken: opts.open === false ? "" : openColumn(token, "access_token_enc")!,
  });
  if (!needsRefresh(token.expiresAt)) return usable();
  if (!token.refreshTokenEnc) {
    return isExpired(token.expiresAt) ? { ok: false, reason: "reconnect" } : usable();
  }
  const run = () => refreshUnderLock(db, row, userId, token);
  if (opts.coalesce === false) return run();
  return coalesce(inflight, mcpTokenLockKey(row.id, userId), run);
}

async function refreshUnderLock(
  db: Executor,
  row: McpServerRow,
  userId: string,
  seen: McpUserTokenRow,
): Promise<FreshTokenResult> {
  const client = oauth2ClientOf(row);
  return db.transaction(async (tx) => {
    // Only `tx` below: on PGlite the transaction holds the one connection, and on Postgres a
    // second pool connection per waiter could exhaust the pool.
    await lockTokenKey(tx, mcpTokenLockKey(row.id, userId));
    const current = await findUserToken(tx, row.id, userId);
    if (!current?.accessTokenEnc) return { ok: false, reason: "missing" } as const;
    if (current.needsReconnect) return { ok: false, reason: "reconnect" } as const;
    const changed =
      current.accessTokenEnc !== seen.accessTokenEnc ||
      current.refreshTokenEnc !== seen.refreshTokenEnc;
    if (changed || !needsRefresh(current.expiresAt)) {
      // Refreshed (or reconnected) by someone else while we waited for the lock.
      return isExpired(current.expiresAt)
        ? ({ ok: false, reason: "transient" } as const)
        : { ok: true as const, accessToken: openColumn(current, "access_token_enc")! };
    }
    const refreshToken = openColumn(current, "refresh_token_enc");
    if (!client || !refreshToken) return { ok: false, reason: "reconnect" } as const;
    try {
      const tokens = await refreshAccessToken(client, refreshToken);
      await updateUserToken(tx, current.id, {
        accessTokenEnc: sealUserTokenColumn(current.id, "access_token_enc", tokens.accessToken),
        // RFC 6749 §6: without a new refresh token the old one stays valid.
        refreshTokenEnc: tokens.refreshToken
          ? sealUserTokenColumn(current.id, "refresh_token_enc", tokens.refreshToken)
          : current.refreshTokenEnc,
        expiresAt: expiresAtFrom(tokens.expiresIn),
        scope: tokens.scope ?? current.scope,
        tokenType: "Bearer",
      });
      return { ok: true as const, accessToken: tokens.accessToken };
    } catch (error) {
      if (!(error instanceof TokenEndpointError)) throw error;
      const permanent = error.permanent;
      if (permanent) await markTokenNeedsReconnect(tx, current.id);
      await recordAudit(tx, {
        actorId: userId,
        action: "mcp_server.oauth2_refresh",
        targetType: "mcp_server",
        targetId: row.id,
        outcome: "failure",
        detail: {
          reason: permanent ? "invalid_grant" : "transient",
          ...(error.oauthCode && { error: error.oauthCode }),
          ...(error.status !== undefined && { status: error.status }),
        },
      });
      if (permanent) return { ok: false, reason: "reconnect" } as const;
      console.warn(`[oauth] refresh for server ${row.id} failed: ${error.message}`);
      // A transient failure keeps the token: still usable until it actually expires.
      return isExpired(current.expiresAt)
        ? ({ ok: false, reason: "transient" } as const)
        : { ok: true as const, accessToken: openColumn(current, "access_token_enc")! };
    }
  });
}
