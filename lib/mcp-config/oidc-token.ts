import "server-only";
import type { Executor } from "@/db/client";
import { recordAudit } from "@/db/queries/audit";
import { findOidcAccountById, oidcTokenLockKey } from "@/db/queries/mcp-oauth";
import { findOidcAccountForUser } from "@/db/queries/mcp-servers";
import { updateOidcTokens, type OidcAccountRow } from "@/db/queries/oidc-accounts";
import { openSecret, sealSecret, secretAad } from "@/lib/crypto/secrets";
import { getEnv } from "@/lib/env";
import { createGuardedFetch, type GuardedFetch } from "@/lib/net/egress";
import { fetchAuthorizationServerMetadata } from "@/lib/oauth/discovery";
import { refreshAccessToken, type OAuthClient } from "@/lib/oauth/tokens";
import {
  coalesce,
  expiresAtFrom,
  isExpired,
  needsRefresh,
  refreshUnderLock,
  type FreshTokenResult,
} from "./refresh-under-lock";

const TABLE = "oidc_accounts";
const METADATA_TTL_MS = 60 * 60_000;

const open = (row: OidcAccountRow, column: "access_token_enc" | "refresh_token_enc") => {
  const sealed = column === "access_token_enc" ? row.accessTokenEnc : row.refreshTokenEnc;
  return sealed === null ? null : openSecret(sealed, secretAad(TABLE, column, row.id));
};
const seal = (row: OidcAccountRow, column: string, value: string) =>
  sealSecret(value, secretAad(TABLE, column, row.id));

let fetchCache: { key: string; fetch: GuardedFetch } | undefined;

/**
 * The identity provider is named by the operator (OIDC_ISSUER), not by an admin through the
 * API, and Auth.js already talks to it: its host is added to the egress allowlist for these
 * requests, which still go through the guard (redirect rules, every other address refused).
 */
function identityProviderFetch(issuer: string): typeof fetch {
  const host = new URL(issuer).hostname.replace(/^\[|\]$/g, "");
  const entries = (process.env.EGRESS_ALLOWLIST ?? "")
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean);
  const key = JSON.stringify([host, entries]);
  if (fetchCache?.key !== key) {
    fetchCache = { key, fetch: createGuardedFetch({ allowlist: [...entries, host] }) };
  }
  return fetchCache.fetch;
}

let metadataCache: { issuer: string; tokenEndpoint: string; expiresAt: number } | undefined;

/** OIDC Discovery §4: `<issuer>/.well-known/openid-configuration`, issuer checked (§4.3). */
async function tokenEndpointOf(issuer: string): Promise<string> {
  if (metadataCache?.issuer === issuer && metadataCache.expiresAt > Date.now()) {
    return metadataCache.tokenEndpoint;
  }
  const oidcUrl = `${issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`;
  const { metadata } = await fetchAuthorizationServerMetadata(issuer, {
    fetch: identityProviderFetch(issuer),
    candidates: [oidcUrl],
    // Only the token endpoint is used here; sign-in (and its PKCE) is Auth.js's business.
    requirePkce: false,
  });
  metadataCache = {
    issuer,
    tokenEndpoint: metadata.token_endpoint,
    expiresAt: Date.now() + METADATA_TTL_MS,
  };
  return metadata.token_endpoint;
}

const inflight = new Map<string, Promise<FreshTokenResult>>();

/**
 * The access token of the caller's OIDC sign-in, for `user_oidc` servers, refreshed through
 * the identity provider's token endpoint when near expiry. Same single-flight rules as MCP
 * tokens: one refresh per account across instances, the row re-read under the lock.
 */
export async function freshOidcAccessToken(
  db: Executor,
  userId: string,
  opts: { coalesce?: boolean; open?: boolean } = {},
): Promise<FreshTokenResult> {
  const env = getEnv();
  if (!env.oidcEnabled || !env.OIDC_ISSUER) return { ok: false, reason: "missing" };
  const account = await findOidcAccountForUser(db, userId, env.OIDC_ISSUER);
  if (!account?.accessTokenEnc) return { ok: false, reason: "missing" };
  const usable = (): FreshTokenResult => ({
    ok: true,
    accessToken: opts.open === false ? "" : open(account, "access_token_enc")!,
  });
  if (!needsRefresh(account.expiresAt)) return usable();
  if (!account.refreshTokenEnc) {
    return isExpired(account.expiresAt) ? { ok: false, reason: "reconnect" } : usable();
  }
  const run = () => refreshAccount(db, account);
  if (opts.coalesce === false) return run();
  return coalesce(inflight, oidcTokenLockKey(account.id), run);
}

async function refreshAccount(db: Executor, seen: OidcAccountRow): Promise<FreshTokenResult> {
  const env = getEnv();
  let tokenEndpoint: string;
  try {
    // Outside the transaction: no network wait while holding a database connection for it.
    tokenEndpoint = await tokenEndpointOf(seen.issuer);
  } catch (error) {
    console.warn(`[oauth] OIDC metadata for ${seen.issuer} unavailable: ${String(error)}`);
    return isExpired(seen.expiresAt)
      ? { ok: false, reason: "transient" }
      : { ok: true, accessToken: open(seen, "access_token_enc")! };
  }
  const client: OAuthClient = {
    clientId: env.OIDC_CLIENT_ID!,
    clientSecret: env.OIDC_CLIENT_SECRET!,
    // What Auth.js registers for a generic OIDC provider.
    authMethod: "client_secret_basic",
    tokenEndpoint,
    resource: null,
  };
  return refreshUnderLock(db, {
    lockKey: oidcTokenLockKey(seen.id),
    seen,
    reread: (tx) => findOidcAccountById(tx, seen.id),
    openAccess: (current) => open(current, "access_token_enc")!,
    openRefresh: (current) => open(current, "refresh_token_enc"),
    exchange: (refreshToken) =>
      refreshAccessToken(client, refreshToken, { fetch: identityProviderFetch(seen.issuer) }),
    store: (tx, current, tokens) =>
      updateOidcTokens(tx, current.id, {
        accessTokenEnc: seal(current, "access_token_enc", tokens.accessToken),
        refreshTokenEnc: tokens.refreshToken
          ? seal(current, "refresh_token_enc", tokens.refreshToken)
          : current.refreshTokenEnc,
        idTokenEnc: tokens.idToken
          ? seal(current, "id_token_enc", tokens.idToken)
          : current.idTokenEnc,
        expiresAt: expiresAtFrom(tokens.expiresIn),
        scope: tokens.scope ?? current.scope,
      }),
    recordFailure: async (tx, current, error) => {
      const permanent = error.permanent;
      if (permanent) {
        // The sign-in's grant is gone: forget its tokens, so the user is asked to sign in again.
        await updateOidcTokens(tx, current.id, {
          accessTokenEnc: null,
          refreshTokenEnc: null,
          idTokenEnc: current.idTokenEnc,
          expiresAt: null,
          scope: current.scope,
        });
      }
      await recordAudit(tx, {
        actorId: current.userId,
        action: "oidc.refresh",
        targetType: "user",
        targetId: current.userId,
        outcome: "failure",
        detail: {
          reason: permanent ? "invalid_grant" : "transient",
          ...(error.oauthCode && { error: error.oauthCode }),
        },
      });
    },
  });
}

/** Tests: forget cached IdP metadata (e.g. between providers on different ports). */
export function resetOidcMetadataCache(): void {
  metadataCache = undefined;
}
