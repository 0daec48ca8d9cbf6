import "server-only";
import type { Executor } from "@/db/client";
import { findUserTokens, type McpServerRow } from "@/db/queries/mcp-servers";
import { oauth2Configured } from "./oauth2-config";
import { freshOidcAccessToken } from "./oidc-token";
import { openApiKey, openCustomHeaders } from "./secrets";
import type { FreshTokenResult } from "./refresh-under-lock";
import { freshMcpAccessToken } from "./token-refresh";

/**
 * `auth_connected` for the caller, per server: true when the caller could use the server's
 * auth right now. For oauth2 and user_oidc that means a usable token, refreshed here first
 * when it is near expiry (a refresh that fails for good makes it false; a transient failure
 * keeps it true only while the access token has not expired). Always true for the types whose
 * credentials belong to the server.
 */
export async function authConnectedFor(
  db: Executor,
  userId: string,
  rows: readonly McpServerRow[],
): Promise<Map<string, boolean>> {
  const result = new Map<string, boolean>();
  const oauthRows = rows.filter((r) => r.authType === "oauth2");
  const tokens = new Map(
    (
      await findUserTokens(
        db,
        userId,
        oauthRows.map((r) => r.id),
      )
    ).map((t) => [t.serverId, t]),
  );
  let oidc: Promise<FreshTokenResult> | undefined;
  await Promise.all(
    rows.map(async (row) => {
      if (row.authType === "oauth2") {
        if (!oauth2Configured(row)) return result.set(row.id, false);
        const fresh = await freshMcpAccessToken(db, row, userId, {
          prefetched: tokens.get(row.id) ?? null,
          open: false,
        });
        return result.set(row.id, fresh.ok);
      }
      if (row.authType === "user_oidc") {
        oidc ??= freshOidcAccessToken(db, userId, { open: false });
        return result.set(row.id, (await oidc).ok);
      }
      return result.set(row.id, true);
    }),
  );
  return result;
}

export type AuthHeadersResult =
  | { ok: true; headers: Record<string, string> }
  | { ok: false; code: "mcp.auth_required"; message: string };

/**
 * The headers that authenticate `userId` to a server, per its auth type. OAuth2 and OIDC
 * tokens near expiry are refreshed first (single-flight, see token-refresh.ts); a missing or
 * dead one answers `mcp.auth_required` with a message saying what to do.
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
      const fresh = oauth2Configured(row)
        ? await freshMcpAccessToken(db, row, userId)
        : ({ ok: false, reason: "missing" } as const);
      if (fresh.ok) return { ok: true, headers: { Authorization: `Bearer ${fresh.accessToken}` } };
      const message = {
        missing: `Connect your account to ${row.displayName} to use it.`,
        reconnect: `Your connection to ${row.displayName} has expired or was revoked: connect again to use it.`,
        transient: `${row.displayName} could not renew your sign-in just now; try again shortly, or connect again.`,
      }[fresh.reason];
      return { ok: false, code: "mcp.auth_required", message };
    }
    case "user_oidc": {
      const fresh = await freshOidcAccessToken(db, userId);
      if (fresh.ok) return { ok: true, headers: { Authorization: `Bearer ${fresh.accessToken}` } };
      return {
        ok: false,
        code: "mcp.auth_required",
        message:
          fresh.reason === "transient"
            ? `Your identity provider could not renew your sign-in just now; try ${row.displayName} again shortly.`
            : `Sign in with OIDC to use ${row.displayName}.`,
      };
    }
    default:
      return { ok: false, code: "mcp.auth_required", message: "Unknown auth type." };
  }
}
