import "server-only";
import type { McpServerInsert, McpServerRow } from "@/db/queries/mcp-servers";
import { ApiError } from "@/lib/errors";
import { getEnv } from "@/lib/env";
import { findEgressError } from "@/lib/net/egress";
import { discoverAuthorization, OAuthDiscoveryError } from "@/lib/oauth/discovery";
import { canonicalResource } from "@/lib/oauth/metadata";
import {
  deleteRegisteredClient,
  registerClient,
  TOKEN_AUTH_METHODS,
  type RegisteredClient,
  type TokenAuthMethod,
} from "@/lib/oauth/registration";
import type { OAuthClient } from "@/lib/oauth/tokens";
import { openOauth2ClientSecret, sealServerSecret } from "./secrets";

/** Discovery and registration together may take this long before the create is refused. */
const DISCOVERY_BUDGET_MS = 30_000;

/** The redirect URI of a config: registered with the provider, so it must be the real one. */
export function oauth2CallbackUrl(serverId: string): string {
  return `${getEnv().appUrl}/api/mcp/servers/${serverId}/oauth2/callback`;
}

/** RFC 8707 resource of a config: the discovered one, else the canonical MCP server URL. */
export function oauth2ResourceOf(row: McpServerRow): string {
  return row.oauth2Resource || canonicalResource(row.url);
}

/** Whether an oauth2 config has a client to run the flow with (nothing decrypted). */
export function oauth2Configured(row: McpServerRow): boolean {
  return row.authType === "oauth2" && row.oauth2ClientId !== "" && row.oauth2TokenUrl !== "";
}

/** The token endpoint client of an oauth2 config, or undefined when it is not set up. */
export function oauth2ClientOf(row: McpServerRow): OAuthClient | undefined {
  if (!oauth2Configured(row)) return undefined;
  const secret = openOauth2ClientSecret(row);
  const stored = row.oauth2TokenAuthMethod as TokenAuthMethod;
  const authMethod: TokenAuthMethod = TOKEN_AUTH_METHODS.includes(stored)
    ? stored
    : secret
      ? "client_secret_basic"
      : "none";
  return {
    clientId: row.oauth2ClientId,
    clientSecret: secret,
    authMethod,
    tokenEndpoint: row.oauth2TokenUrl,
    resource: oauth2ResourceOf(row),
  };
}

/** The discovery-only columns, emptied when an admin enters a client by hand. */
export const MANUAL_OAUTH2_EXTRAS = {
  oauth2Issuer: "",
  oauth2RevocationUrl: "",
  oauth2Resource: "",
  oauth2TokenAuthMethod: "",
  oauth2IssRequired: false,
  oauth2Discovered: false,
} as const satisfies Partial<McpServerInsert>;

export type DiscoveredOauth2 = Required<
  Pick<
    McpServerInsert,
    | "oauth2ClientId"
    | "oauth2ClientSecretEnc"
    | "oauth2AuthUrl"
    | "oauth2TokenUrl"
    | "oauth2Scopes"
    | "oauth2Issuer"
    | "oauth2RevocationUrl"
    | "oauth2Resource"
    | "oauth2TokenAuthMethod"
    | "oauth2IssRequired"
    | "oauth2Discovered"
  >
>;

function toApiError(error: unknown): never {
  const egress = findEgressError(error);
  if (error instanceof OAuthDiscoveryError) {
    // The guard's own code when it refused a request, so it reads like every other refusal.
    throw new ApiError(
      400,
      egress ? egress.code : "mcp_server.oauth2_discovery_failed",
      `Automatic OAuth2 setup failed. ${error.message} Fix the server, or enter the client ID, authorization URL and token URL by hand.`,
      [{ field: "url", detail: `OAuth2 discovery failed at step ${error.step}` }],
    );
  }
  throw error;
}

/**
 * Discovers the authorization server of an MCP server and registers this config with it
 * (RFC 9728 → RFC 8414 → RFC 7591). `serverId` must be the id the config will be stored
 * under: it is part of the registered redirect URI. Throws ApiError 400 naming the failed
 * step, URL and problem. Call `abandon` if the config is then not stored.
 */
export async function discoverOauth2(input: {
  serverId: string;
  url: string;
  transport: "streamable_http" | "sse";
  /** Scopes the admin entered; when empty, the discovered ones are used. */
  scopes: string;
}): Promise<{ fields: DiscoveredOauth2; abandon: () => Promise<void> }> {
  const signal = AbortSignal.timeout(DISCOVERY_BUDGET_MS);
  let registered: RegisteredClient;
  let found: Awaited<ReturnType<typeof discoverAuthorization>>;
  try {
    found = await discoverAuthorization(input.url, input.transport, { signal });
    registered = await registerClient(
      found.metadata,
      { redirectUri: oauth2CallbackUrl(input.serverId) },
      { signal },
    );
  } catch (error) {
    toApiError(error);
  }
  const md = found.metadata;
  return {
    fields: {
      oauth2ClientId: registered.clientId,
      oauth2ClientSecretEnc: registered.clientSecret
        ? sealServerSecret("oauth2_client_secret_enc", input.serverId, registered.clientSecret)
        : null,
      oauth2AuthUrl: md.authorization_endpoint,
      oauth2TokenUrl: md.token_endpoint,
      oauth2Scopes: input.scopes.trim() || found.scopes.join(" "),
      oauth2Issuer: md.issuer,
      oauth2RevocationUrl: md.revocation_endpoint ?? "",
      oauth2Resource: found.resource,
      oauth2TokenAuthMethod: registered.authMethod,
      oauth2IssRequired: md.authorization_response_iss_parameter_supported === true,
      oauth2Discovered: true,
    },
    abandon: () => deleteRegisteredClient(registered),
  };
}
