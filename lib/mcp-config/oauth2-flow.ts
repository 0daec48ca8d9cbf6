import "server-only";
import { randomUUID } from "node:crypto";
import type { Database } from "@/db/client";
import { recordAudit } from "@/db/queries/audit";
import {
  consumeOauthState,
  deleteUserToken,
  findUserToken,
  insertOauthState,
  insertUserToken,
  lockTokenKey,
  mcpTokenLockKey,
  updateUserToken,
} from "@/db/queries/mcp-oauth";
import { findMcpServer, type McpServerRow } from "@/db/queries/mcp-servers";
import { ApiError, Errors } from "@/lib/errors";
import type { Caller } from "@/lib/auth/caller";
import { openSecret, sealSecret, secretAad } from "@/lib/crypto/secrets";
import { codeChallengeS256, createCodeVerifier, createState, hashState } from "@/lib/oauth/pkce";
import {
  buildAuthorizationUrl,
  checkAuthorizationResponseIssuer,
  exchangeAuthorizationCode,
  revokeToken,
  TokenEndpointError,
} from "@/lib/oauth/tokens";
import { sharedCallbackUrl } from "./client-metadata";
import { oauth2CallbackUrl, oauth2ClientOf, oauth2RedirectUri } from "./oauth2-config";
import { expiresAtFrom } from "./refresh-under-lock";
import { connectScope, requestedScope } from "./step-up";
import { sealUserTokenColumn } from "./token-refresh";

/** RFC 9700 §4.7: a state lives only as long as a person needs to sign in. */
export const STATE_TTL_MS = 10 * 60_000;

const STATE_TABLE = "mcp_oauth_states";
const notFound = () => Errors.notFound("mcp_server", "MCP server");

function visible(row: McpServerRow | undefined, caller: Caller): row is McpServerRow {
  return row !== undefined && (caller.role === "admin" || row.enabled);
}

/**
 * Starts the authorization code flow for the caller: stores a single-use state bound to the
 * caller and the config (its hash, with the sealed PKCE verifier) and returns the URL of the
 * authorization endpoint to send the browser to.
 */
export async function startOauth2Connect(
  db: Database,
  caller: Caller,
  serverId: string,
): Promise<string> {
  const row = await findMcpServer(db, serverId);
  if (!visible(row, caller)) throw notFound();
  const client = oauth2ClientOf(row);
  if (!client || !row.oauth2AuthUrl) {
    throw new ApiError(400, "mcp_server.not_oauth2", `${row.displayName} does not use OAuth2.`);
  }
  const state = createState();
  const verifier = createCodeVerifier();
  const id = randomUUID();
  await insertOauthState(db, {
    id,
    stateHash: hashState(state),
    userId: caller.id,
    serverId: row.id,
    serverVersion: row.version,
    codeVerifierEnc: sealSecret(verifier, secretAad(STATE_TABLE, "code_verifier_enc", id)),
    expiresAt: new Date(Date.now() + STATE_TTL_MS),
  });
  return buildAuthorizationUrl({
    authorizationEndpoint: row.oauth2AuthUrl,
    clientId: client.clientId,
    redirectUri: oauth2RedirectUri(row),
    state,
    codeChallenge: codeChallengeS256(verifier),
    resource: client.resource,
    scope: await connectScope(db, row, caller.id),
  });
}

export type CallbackOutcome =
  | { ok: true; serverId: string; serverName: string }
  | { ok: false; status: number; code: string; message: string; serverId?: string };

// RFC 6749 §4.1.2.1, OIDC Core §3.1.2.6, RFC 8707 §2: the codes worth naming. Anything else
// is reported generically: nothing from the query string is ever echoed.
const PROVIDER_ERRORS = new Set([
  "access_denied",
  "invalid_request",
  "invalid_scope",
  "invalid_target",
  "unauthorized_client",
  "unsupported_response_type",
  "server_error",
  "temporarily_unavailable",
  "login_required",
  "consent_required",
  "interaction_required",
]);

const fail = (
  status: number,
  code: string,
  message: string,
  serverId?: string,
): CallbackOutcome => ({ ok: false, status, code, message, ...(serverId && { serverId }) });

const RESTART = "Start the connection again from toolgate.";

/**
 * Completes the flow at the redirect URI: the state must exist (it is consumed at once, so it
 * works once), belong to this server and to the signed-in user, and be under 10 minutes old;
 * `iss` must match (RFC 9207); the code is exchanged with the PKCE verifier and `resource`,
 * and the tokens are stored sealed for this user.
 */
export async function completeOauth2Callback(
  db: Database,
  caller: Caller | null,
  /** The server of the per-server callback URL; null at the shared callback. */
  routeServerId: string | null,
  query: URLSearchParams,
): Promise<CallbackOutcome> {
  if (!caller || caller.via !== "session") {
    return fail(401, "auth.required", `Sign in to toolgate in this browser first. ${RESTART}`);
  }
  const state = query.get("state");
  if (!state) return fail(400, "oauth2.state_missing", `The response has no state. ${RESTART}`);
  const pending = await consumeOauthState(db, hashState(state));
  if (!pending || (routeServerId !== null && pending.serverId !== routeServerId)) {
    return fail(
      400,
      "oauth2.state_invalid",
      `This response is unknown or was already used. ${RESTART}`,
    );
  }
  const serverId = pending.serverId;
  const audit = (outcome: "success" | "failure" | "denied", detail: Record<string, string>) =>
    recordAudit(db, {
      actorId: caller.id,
      action: "mcp_server.oauth2_connect",
      targetType: "mcp_server",
      targetId: serverId,
      outcome,
      detail,
    });
  if (pending.userId !== caller.id) {
    // Someone else's authorization response landing in this session: a login-CSRF attempt
    // (RFC 6749 §10.12) or a shared link. The state is spent either way.
    await audit("denied", { reason: "state_user_mismatch" });
    return fail(
      403,
      "oauth2.state_user_mismatch",
      `This sign-in was started by another toolgate account, so it was refused. ${RESTART}`,
    );
  }
  if (pending.expiresAt.getTime() <= Date.now()) {
    const message = `The sign-in took longer than 10 minutes. ${RESTART}`;
    return fail(400, "oauth2.state_expired", message, serverId);
  }
  const providerError = query.get("error");
  if (providerError !== null) {
    const named = PROVIDER_ERRORS.has(providerError) ? ` (${providerError})` : "";
    await audit("failure", { reason: "provider_error", ...(named && { error: providerError }) });
    return fail(
      400,
      "oauth2.provider_error",
      `The authorization server did not grant access${named}.`,
      serverId,
    );
  }
  const row = await findMcpServer(db, serverId);
  const client = visible(row, caller) ? oauth2ClientOf(row) : undefined;
  if (!row || !client) {
    return fail(404, "mcp_server.not_found", "The MCP server no longer exists.", serverId);
  }
  if (row.version !== pending.serverVersion) {
    return fail(
      409,
      "oauth2.config_changed",
      `The server's settings changed meanwhile. ${RESTART}`,
      serverId,
    );
  }
  // The response must arrive at the redirect URI the request named (the shared one for a
  // client metadata document client), as the token request repeats it.
  const arrivedAt = routeServerId === null ? sharedCallbackUrl() : oauth2CallbackUrl(serverId);
  if (arrivedAt !== oauth2RedirectUri(row)) {
    return fail(
      400,
      "oauth2.state_invalid",
      `This response is unknown or was already used. ${RESTART}`,
    );
  }
  const iss = checkAuthorizationResponseIssuer(query.get("iss"), {
    issuer: row.oauth2Issuer,
    required: row.oauth2IssRequired,
  });
  if (!iss.ok) {
    await audit("denied", { reason: iss.reason });
    return fail(
      400,
      `oauth2.${iss.reason}`,
      iss.reason === "iss_missing"
        ? "The response does not say which authorization server sent it, although that server promised to (RFC 9207). It was refused."
        : "The response came from a different authorization server than the one this server uses (RFC 9207). It was refused.",
      serverId,
    );
  }
  const code = query.get("code");
  if (!code) {
    const message = `The response has no authorization code. ${RESTART}`;
    return fail(400, "oauth2.code_missing", message, serverId);
  }

  const verifier = openSecret(
    pending.codeVerifierEnc,
    secretAad(STATE_TABLE, "code_verifier_enc", pending.id),
  );
  let tokens;
  try {
    tokens = await exchangeAuthorizationCode(client, {
      code,
      codeVerifier: verifier,
      redirectUri: oauth2RedirectUri(row),
    });
  } catch (error) {
    if (!(error instanceof TokenEndpointError)) throw error;
    await audit("failure", {
      reason: "token_exchange",
      ...(error.oauthCode && { error: error.oauthCode }),
    });
    return fail(
      502,
      "oauth2.token_exchange_failed",
      `The authorization server did not issue a token${error.oauthCode ? ` (${error.oauthCode})` : ""}. ${RESTART}`,
      serverId,
    );
  }
  const stored = await db.transaction(async (tx) => {
    await lockTokenKey(tx, mcpTokenLockKey(serverId, caller.id));
    // The config row is locked too: an edit that drops tokens cannot slip in between.
    const current = await findMcpServer(tx, serverId, { forUpdate: true });
    if (!current || current.version !== pending.serverVersion) return false;
    const existing = await findUserToken(tx, serverId, caller.id);
    const id = existing?.id ?? randomUUID();
    const columns = {
      accessTokenEnc: sealUserTokenColumn(id, "access_token_enc", tokens.accessToken),
      refreshTokenEnc: tokens.refreshToken
        ? sealUserTokenColumn(id, "refresh_token_enc", tokens.refreshToken)
        : null,
      expiresAt: expiresAtFrom(tokens.expiresIn),
      // RFC 6749 §5.1: no scope in the answer means the scope requested was granted, which
      // after a step-up is the union (keeping it is what the next step-up builds on).
      scope: tokens.scope ?? (requestedScope(row, existing) || null),
      tokenType: "Bearer",
    };
    if (existing) await updateUserToken(tx, id, { ...columns, needsReconnect: false });
    else await insertUserToken(tx, { id, serverId, userId: caller.id, ...columns });
    await recordAudit(tx, {
      actorId: caller.id,
      action: "mcp_server.oauth2_connect",
      targetType: "mcp_server",
      targetId: serverId,
      detail: { refreshable: tokens.refreshToken !== null, reconnect: existing !== undefined },
    });
    return true;
  });
  if (!stored) {
    return fail(
      409,
      "oauth2.config_changed",
      `The server's settings changed meanwhile. ${RESTART}`,
      serverId,
    );
  }
  return { ok: true, serverId, serverName: row.displayName };
}

/**
 * Deletes the caller's token for a server (only theirs) and revokes it at the provider when
 * the provider advertises RFC 7009 revocation. Idempotent. A member may disconnect from a
 * server that was disabled since: it is their own token.
 */
export async function disconnectOauth2(
  db: Database,
  caller: Caller,
  serverId: string,
): Promise<void> {
  const row = await findMcpServer(db, serverId);
  if (!row) throw notFound();
  const deleted = await db.transaction(async (tx) => {
    await lockTokenKey(tx, mcpTokenLockKey(serverId, caller.id));
    const token = await deleteUserToken(tx, serverId, caller.id);
    if (!token && !visible(row, caller)) throw notFound();
    if (token) {
      await recordAudit(tx, {
        actorId: caller.id,
        action: "mcp_server.oauth2_disconnect",
        targetType: "mcp_server",
        targetId: serverId,
        detail: { revocation: row.oauth2RevocationUrl ? "requested" : "not_advertised" },
      });
    }
    return token;
  });
  const client = oauth2ClientOf(row);
  if (!deleted || !client || !row.oauth2RevocationUrl) return;
  // After the commit: the token is gone locally whatever the provider answers. Revoking the
  // refresh token ends the grant and its access tokens (RFC 7009 §2.1); without one, the
  // access token is revoked instead.
  const open = (column: "access_token_enc" | "refresh_token_enc", sealed: string | null) =>
    sealed === null
      ? null
      : openSecret(sealed, secretAad("mcp_server_user_tokens", column, deleted.id));
  const refresh = open("refresh_token_enc", deleted.refreshTokenEnc);
  const access = refresh ? null : open("access_token_enc", deleted.accessTokenEnc);
  const results: boolean[] = [];
  if (refresh) {
    results.push(await revokeToken(client, row.oauth2RevocationUrl, refresh, "refresh_token"));
  } else if (access) {
    results.push(await revokeToken(client, row.oauth2RevocationUrl, access, "access_token"));
  }
  if (results.includes(false)) {
    await recordAudit(db, {
      actorId: caller.id,
      action: "mcp_server.oauth2_revoke",
      targetType: "mcp_server",
      targetId: serverId,
      outcome: "failure",
      detail: { revoked: results.filter(Boolean).length, attempted: results.length },
    });
  }
}
