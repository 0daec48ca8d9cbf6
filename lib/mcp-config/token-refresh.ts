import "server-only";
import type { Executor } from "@/db/client";
import { recordAudit } from "@/db/queries/audit";
import {
  findUserToken,
  markTokenNeedsReconnect,
  mcpTokenLockKey,
  updateUserToken,
} from "@/db/queries/mcp-oauth";
import type { McpServerRow, McpUserTokenRow } from "@/db/queries/mcp-servers";
import { openSecret, sealSecret, secretAad } from "@/lib/crypto/secrets";
import { refreshAccessToken } from "@/lib/oauth/tokens";
import { oauth2ClientOf } from "./oauth2-config";
import {
  coalesce,
  expiresAtFrom,
  isExpired,
  needsRefresh,
  refreshUnderLock,
  type FreshTokenResult,
} from "./refresh-under-lock";

const inflight = new Map<string, Promise<FreshTokenResult>>();

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
  const run = () => refreshMcpToken(db, row, userId, token);
  if (opts.coalesce === false) return run();
  return coalesce(inflight, mcpTokenLockKey(row.id, userId), run);
}

function refreshMcpToken(
  db: Executor,
  row: McpServerRow,
  userId: string,
  seen: McpUserTokenRow,
): Promise<FreshTokenResult> {
  const client = oauth2ClientOf(row);
  return refreshUnderLock(db, {
    lockKey: mcpTokenLockKey(row.id, userId),
    seen,
    reread: (tx) => findUserToken(tx, row.id, userId),
    refusal: (current) => (current.needsReconnect ? { ok: false, reason: "reconnect" } : undefined),
    openAccess: (current) => openColumn(current, "access_token_enc")!,
    // Without a client (the config lost its OAuth settings) there is nothing to refresh with.
    openRefresh: (current) => (client ? openColumn(current, "refresh_token_enc") : null),
    exchange: (refreshToken) => refreshAccessToken(client!, refreshToken),
    store: (tx, current, tokens) =>
      updateUserToken(tx, current.id, {
        accessTokenEnc: sealUserTokenColumn(current.id, "access_token_enc", tokens.accessToken),
        // RFC 6749 §6: without a new refresh token the old one stays valid.
        refreshTokenEnc: tokens.refreshToken
          ? sealUserTokenColumn(current.id, "refresh_token_enc", tokens.refreshToken)
          : current.refreshTokenEnc,
        expiresAt: expiresAtFrom(tokens.expiresIn),
        scope: tokens.scope ?? current.scope,
        tokenType: "Bearer",
      }),
    recordFailure: async (tx, current, error) => {
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
      if (!permanent) console.warn(`[oauth] refresh for server ${row.id} failed: ${error.message}`);
    },
  });
}
