import "server-only";

import {
  formEncode,
  jsonObject,
  oauthErrorCode,
  oauthRequest,
  OAuthNetworkError,
  type OAuthHttpOptions,
} from "./http";
import { sameIssuer } from "./metadata";
import type { TokenAuthMethod } from "./registration";

export interface OAuthClient {
  clientId: string;
  clientSecret: string | null;
  authMethod: TokenAuthMethod;
  tokenEndpoint: string;
  /** RFC 8707 resource indicator; omitted when null (e.g. signing in with OIDC). */
  resource: string | null;
}

export interface TokenSet {
  accessToken: string;
  refreshToken: string | null;
  /** Seconds, as the server sent them (RFC 6749 §5.1); null when it did not say. */
  expiresIn: number | null;
  scope: string | null;
  idToken: string | null;
}

/**
 * A token endpoint failure. `oauthCode` is the registered error code when the server sent
 * one (RFC 6749 §5.2); `permanent` means the grant itself is dead (invalid_grant) and only a
 * new authorization can help. Anything else (network, 5xx, garbage) is transient.
 */
export class TokenEndpointError extends Error {
  override readonly name = "TokenEndpointError";
  constructor(
    message: string,
    readonly oauthCode: string | undefined,
    readonly status: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  get permanent(): boolean {
    return this.oauthCode === "invalid_grant";
  }
}

export function buildAuthorizationUrl(input: {
  authorizationEndpoint: string;
  clientId: string;
  redirectUri: string;
  state: string;
  codeChallenge: string;
  resource: string | null;
  scope: string;
}): string {
  const url = new URL(input.authorizationEndpoint);
  const params = url.searchParams;
  // RFC 6749 §3.1: the endpoint may carry its own query, which must be kept.
  params.set("response_type", "code");
  params.set("client_id", input.clientId);
  params.set("redirect_uri", input.redirectUri);
  params.set("state", input.state);
  params.set("code_challenge", input.codeChallenge);
  params.set("code_challenge_method", "S256");
  if (input.resource) params.set("resource", input.resource); // RFC 8707 §2.1
  if (input.scope.trim() !== "") params.set("scope", input.scope.trim());
  return url.href;
}

/**
 * RFC 9207 §2.4: when the response carries `iss` it must be the issuer the request went to;
 * when the server declared it sends `iss`, a response without it is refused (mix-up defence).
 */
export function checkAuthorizationResponseIssuer(
  iss: string | null,
  expected: { issuer: string; required: boolean },
): { ok: true } | { ok: false; reason: "iss_missing" | "iss_mismatch" } {
  if (iss === null) return expected.required ? { ok: false, reason: "iss_missing" } : { ok: true };
  // Without a known issuer (a manually entered client) there is nothing to compare against.
  if (expected.issuer === "") return { ok: true };
  return sameIssuer(iss, expected.issuer) ? { ok: true } : { ok: false, reason: "iss_mismatch" };
}

function clientAuth(client: OAuthClient, body: URLSearchParams, headers: Headers): void {
  // RFC 6749 §2.3.1: Basic credentials are form-encoded before base64.
  if (client.authMethod === "client_secret_basic" && client.clientSecret !== null) {
    const pair = `${formEncode(client.clientId)}:${formEncode(client.clientSecret)}`;
    headers.set("authorization", `Basic ${Buffer.from(pair).toString("base64")}`);
    return;
  }
  body.set("client_id", client.clientId);
  if (client.authMethod === "client_secret_post" && client.clientSecret !== null) {
    body.set("client_secret", client.clientSecret);
  }
}

async function postForm(
  client: OAuthClient,
  url: string,
  params: Record<string, string>,
  options: OAuthHttpOptions,
) {
  const body = new URLSearchParams(params);
  const headers = new Headers({
    "content-type": "application/x-www-form-urlencoded",
    accept: "application/json",
  });
  clientAuth(client, body, headers);
  // Token and revocation requests carry credentials in headers or body: no redirect is
  // followed at all (a 307 would resend the body to wherever it points).
  return oauthRequest(url, { method: "POST", headers, body, redirect: "error" }, options);
}

function parseTokenResponse(text: string, status: number): TokenSet {
  const body = jsonObject(text);
  if (status !== 200) {
    const code = oauthErrorCode(body);
    throw new TokenEndpointError(
      `the token endpoint answered HTTP ${status}${code ? ` (${code})` : ""}`,
      code,
      status,
    );
  }
  const access = body?.["access_token"];
  if (!body || typeof access !== "string" || access === "") {
    throw new TokenEndpointError("the token response has no access_token", undefined, status);
  }
  // RFC 6749 §7.1: only Bearer tokens are understood (no DPoP proof is ever sent).
  const type = body["token_type"];
  if (typeof type !== "string" || type.toLowerCase() !== "bearer") {
    throw new TokenEndpointError(
      `the token response has token_type ${typeof type === "string" ? type : "(none)"}, not Bearer`,
      undefined,
      status,
    );
  }
  const rawExpires = body["expires_in"];
  const expires =
    typeof rawExpires === "number"
      ? rawExpires
      : typeof rawExpires === "string" && /^\d+$/.test(rawExpires)
        ? Number(rawExpires)
        : null;
  const str = (key: string) =>
    typeof body[key] === "string" && body[key] !== "" ? (body[key] as string) : null;
  return {
    accessToken: access,
    refreshToken: str("refresh_token"),
    expiresIn: expires !== null && Number.isFinite(expires) && expires >= 0 ? expires : null,
    scope: str("scope"),
    idToken: str("id_token"),
  };
}

async function tokenRequest(
  client: OAuthClient,
  params: Record<string, string>,
  options: OAuthHttpOptions,
): Promise<TokenSet> {
  if (client.resource) params["resource"] = client.resource; // RFC 8707 §2.2
  let res;
  try {
    res = await postForm(client, client.tokenEndpoint, params, options);
  } catch (error) {
    if (error instanceof OAuthNetworkError) {
      throw new TokenEndpointError(error.message, undefined, undefined, { cause: error });
    }
    throw new TokenEndpointError("the token request failed", undefined, undefined, {
      cause: error,
    });
  }
  return parseTokenResponse(res.text, res.status);
}

/** RFC 6749 §4.1.3 with the PKCE verifier (RFC 7636 §4.5). */
export function exchangeAuthorizationCode(
  client: OAuthClient,
  input: { code: string; codeVerifier: string; redirectUri: string },
  options: OAuthHttpOptions = {},
): Promise<TokenSet> {
  return tokenRequest(
    client,
    {
      grant_type: "authorization_code",
      code: input.code,
      redirect_uri: input.redirectUri,
      code_verifier: input.codeVerifier,
    },
    options,
  );
}

/** RFC 6749 §6. The caller keeps the old refresh token when the server does not rotate it. */
export function refreshAccessToken(
  client: OAuthClient,
  refreshToken: string,
  options: OAuthHttpOptions = {},
): Promise<TokenSet> {
  return tokenRequest(
    client,
    { grant_type: "refresh_token", refresh_token: refreshToken },
    options,
  );
}

/**
 * RFC 7009 §2.1. Returns whether the server confirmed (200; an unknown token also answers
 * 200, §2.2). Never throws: a disconnect must succeed locally whatever the provider says.
 */
export async function revokeToken(
  client: OAuthClient,
  revocationEndpoint: string,
  token: string,
  hint: "refresh_token" | "access_token",
  options: OAuthHttpOptions = {},
): Promise<boolean> {
  try {
    const res = await postForm(
      client,
      revocationEndpoint,
      { token, token_type_hint: hint },
      options,
    );
    return res.status === 200;
  } catch {
    return false;
  }
}
