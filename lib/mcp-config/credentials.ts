import "server-only";
import type { Executor } from "@/db/client";
import {
  findOidcAccountForUser,
  findUserTokens,
  type McpServerRow,
  type McpUserTokenRow,
} from "@/db/queries/mcp-servers";
import { openSecret, secretAad } from "@/lib/crypto/secrets";
import { getEnv } from "@/lib/env";
import { openApiKey, openCustomHeaders } from "./secrets";

// A token this close to expiry is treated as expired: it could lapse mid-request.
const EXPIRY_SKEW_MS = 30_000;

function usable(expiresAt: Date | null, hasRefresh: boolean, now: number): boolean {
  return !expiresAt || expiresAt.getTime() - EXPIRY_SKEW_MS > now || hasRefresh;
}

function tokenUsable(token: McpUserTokenRow | undefined, now: number): boolean {
  if (!token || token.needsReconnect || !token.accessTokenEnc) return false;
  return usable(token.expiresAt, token.refreshTokenEnc !== null, now);
}

/**
 * `auth_connected` for the caller, per server: true when the caller could use the server's
 * auth right now (a usable or refreshable token for oauth2 and user_oidc; always true for the
 * types whose credentials belong to the server).
 */
export async function authConnectedFor(
  db: Executor,
  userId: string,
  rows: McpServerRow[],
): Promise<Map<string, boolean>> {
  const now = Date.now();
  const result = new Map<string, boolean>();
  const oauthIds = rows.filter((r) => r.authType === "oauth2").map((r) => r.id);
  const tokens = new Map((await findUserTokens(db, userId, oauthIds)).map((t) => [t.serverId, t]));
  let oidcUsable: boolean | undefined;
  for (const row of rows) {
    if (row.authType === "oauth2") {
      result.set(row.id, tokenUsable(tokens.get(row.id), now));
    } else if (row.authType === "user_oidc") {
      oidcUsable ??= await callerHasOidcToken(db, userId, now);
      result.set(row.id, oidcUsable);
    } else {
      result.set(row.id, true);
    }
  }
  return result;
}

async function callerHasOidcToken(db: Executor, userId: string, now: number): Promise<boolean> {
  const issuer = getEnv().OIDC_ISSUER;
  if (!issuer) return false;
  const account = await findOidcAccountForUser(db, userId, issuer);
  if (!account?.accessTokenEnc) return false;
  return usable(account.expiresAt, account.refreshTokenEnc !== null, now);
}

export type AuthHeadersResult =
  | { ok: true; headers: Record<string, string> }
  | { ok: false; code: "mcp.auth_required"; message: string };

/**
 * The headers that authenticate `userId` to a server, per its auth type. OAuth2 refresh and
 * the connect flow arrive with the OAuth work; until then an expired token counts as missing.
 */
export async function authHeadersFor(
  db: Executor,
  row: McpServerRow,
  userId: string,
): Promise<AuthHeadersResult> {
  switch (row.authType) {
    case "none":
      return { ok: true, headers: {} };
    case "api_key": {
      const value = openApiKey(row);
      return value && row.apiKeyHeader
        ? { ok: true, headers: { [row.apiKeyHeader]: value } }
        : {
            ok: false,
            code: "mcp.auth_required",
            message: "The server's API key is not configured.",
          };
    }
    case "custom_headers":
      return { ok: true, headers: openCustomHeaders(row) };
    case "oauth2": {
      const [token] = await findUserTokens(db, userId, [row.id]);
      const now = Date.now();
      if (
        !token?.accessTokenEnc ||
        token.needsReconnect ||
        (token.expiresAt && token.expiresAt.getTime() - EXPIRY_SKEW_MS <= now)
      ) {
        return {
          ok: false,
          code: "mcp.auth_required",
          message: `Connect your account to ${row.displayName} to use it.`,
        };
      }
      const access = openSecret(
        token.accessTokenEnc,
        secretAad("mcp_server_user_tokens", "access_token_enc", token.id),
      );
      return { ok: true, headers: { Authorization: `Bearer ${access}` } };
    }
    case "user_oidc": {
      const issuer = getEnv().OIDC_ISSUER;
      const account = issuer ? await findOidcAccountForUser(db, userId, issuer) : undefined;
      const now = Date.now();
      if (
        !account?.accessTokenEnc ||
        (account.expiresAt && account.expiresAt.getTime() - EXPIRY_SKEW_MS <= now)
      ) {
        return {
          ok: false,
          code: "mcp.auth_required",
          message: `Sign in with OIDC to use ${row.displayName}.`,
        };
      }
      const access = openSecret(
        account.accessTokenEnc,
        secretAad("oidc_accounts", "access_token_enc", account.id),
      );
      return { ok: true, headers: { Authorization: `Bearer ${access}` } };
    }
    default:
      return { ok: false, code: "mcp.auth_required", message: "Unknown auth type." };
  }
}
