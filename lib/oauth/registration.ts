import "server-only";

import { OAuthDiscoveryError } from "./discovery";
import {
  jsonObject,
  oauthErrorCode,
  oauthRequest,
  OAuthNetworkError,
  type OAuthHttpOptions,
} from "./http";
import type { AuthorizationServerMetadata } from "./metadata";

export const TOKEN_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"] as const;
export type TokenAuthMethod = (typeof TOKEN_AUTH_METHODS)[number];

/**
 * The token endpoint authentication to register with. toolgate runs on a server and can keep
 * a secret, so it registers as a confidential client when it may: refresh tokens issued to a
 * confidential client are bound to its authentication (RFC 9700 §4.14.2), so a leaked refresh
 * token alone is useless. client_secret_basic is the method every server must support (RFC
 * 6749 §2.3.1); `none` (a public client, PKCE only) is the fallback. RFC 8414 §2: an absent
 * list means client_secret_basic.
 */
export function chooseTokenAuthMethod(
  metadata: AuthorizationServerMetadata,
): TokenAuthMethod | undefined {
  const supported = metadata.token_endpoint_auth_methods_supported ?? ["client_secret_basic"];
  return TOKEN_AUTH_METHODS.find((method) => supported.includes(method));
}

export interface RegisteredClient {
  clientId: string;
  clientSecret: string | null;
  authMethod: TokenAuthMethod;
  /** RFC 7592 management, used only to delete a client whose config was never stored. */
  registrationClientUri: string | null;
  registrationAccessToken: string | null;
}

/** RFC 7591 §3.1: registers toolgate with the one redirect URI of this config. */
export async function registerClient(
  metadata: AuthorizationServerMetadata,
  input: { redirectUri: string; clientName?: string },
  options: OAuthHttpOptions = {},
): Promise<RegisteredClient> {
  const endpoint = metadata.registration_endpoint;
  if (!endpoint) {
    throw new OAuthDiscoveryError(
      "registration",
      metadata.issuer,
      "the authorization server offers no dynamic client registration (no `registration_endpoint`); " +
        "register a client there and enter its client ID, authorization URL and token URL",
    );
  }
  const method = chooseTokenAuthMethod(metadata);
  if (!method) {
    throw new OAuthDiscoveryError(
      "registration",
      metadata.issuer,
      "the token endpoint supports none of client_secret_basic, client_secret_post or none",
    );
  }
  let res;
  try {
    res = await oauthRequest(
      endpoint,
      {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({
          client_name: input.clientName ?? "toolgate",
          redirect_uris: [input.redirectUri],
          grant_types: ["authorization_code", "refresh_token"],
          response_types: ["code"],
          token_endpoint_auth_method: method,
          application_type: "web",
        }),
        // A registration answer may carry a secret: never follow it anywhere.
        redirect: "error",
      },
      options,
    );
  } catch (error) {
    if (error instanceof OAuthNetworkError) {
      throw new OAuthDiscoveryError("registration", endpoint, error.message, { cause: error });
    }
    throw error;
  }
  const body = jsonObject(res.text);
  if (res.status !== 201 && res.status !== 200) {
    const code = oauthErrorCode(body);
    throw new OAuthDiscoveryError(
      "registration",
      endpoint,
      `the server refused the registration (HTTP ${res.status}${code ? `, ${code}` : ""})`,
    );
  }
  if (!body)
    throw new OAuthDiscoveryError("registration", endpoint, "the response is not a JSON object");
  const clientId = body["client_id"];
  if (typeof clientId !== "string" || clientId === "") {
    throw new OAuthDiscoveryError(
      "registration",
      endpoint,
      "the response has no `client_id` (RFC 7591 §3.2.1)",
    );
  }
  // The server may register a different method than asked (RFC 7591 §3.2.1): use its choice.
  const granted = body["token_endpoint_auth_method"] ?? method;
  if (!TOKEN_AUTH_METHODS.includes(granted as TokenAuthMethod)) {
    throw new OAuthDiscoveryError(
      "registration",
      endpoint,
      `the server registered token_endpoint_auth_method "${String(granted)}", which toolgate does not support`,
    );
  }
  const secret = typeof body["client_secret"] === "string" ? body["client_secret"] : "";
  if (granted !== "none" && secret === "") {
    throw new OAuthDiscoveryError(
      "registration",
      endpoint,
      `the response has no \`client_secret\` for token_endpoint_auth_method ${String(granted)}`,
    );
  }
  const uri = body["registration_client_uri"];
  const token = body["registration_access_token"];
  return {
    clientId,
    clientSecret: granted === "none" ? null : secret,
    authMethod: granted as TokenAuthMethod,
    registrationClientUri: typeof uri === "string" ? uri : null,
    registrationAccessToken: typeof token === "string" ? token : null,
  };
}

/**
 * RFC 7592 §2.3: deletes a client registered moments ago whose config could not be stored, so
 * no orphan registration is left behind. Best effort: a failure only leaves the orphan.
 */
export async function deleteRegisteredClient(
  client: RegisteredClient,
  options: OAuthHttpOptions = {},
): Promise<void> {
  if (!client.registrationClientUri || !client.registrationAccessToken) return;
  try {
    await oauthRequest(
      client.registrationClientUri,
      {
        method: "DELETE",
        headers: { authorization: `Bearer ${client.registrationAccessToken}` },
        redirect: "error",
      },
      options,
    );
  } catch {
    // Nothing more to do: the orphan is harmless without its config.
  }
}
