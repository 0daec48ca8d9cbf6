import "server-only";
import type { McpServerInsert, McpServerRow } from "@/db/queries/mcp-servers";
import { ApiError } from "@/lib/errors";
import { getEnv } from "@/lib/env";
import { findEgressError } from "@/lib/net/egress";
import {
  discoverAuthorization,
  OAuthDiscoveryError,
  type DiscoveredAuthorization,
} from "@/lib/oauth/discovery";
import { canonicalResource } from "@/lib/oauth/metadata";
import {
  deleteRegisteredClient,
  registerClient,
  TOKEN_AUTH_METHODS,
  type RegisteredClient,
  type TokenAuthMethod,
} from "@/lib/oauth/registration";
import type { OAuthClient } from "@/lib/oauth/tokens";
import { clientMetadataDocumentUrl, sharedCallbackUrl } from "./client-metadata";
import { openOauth2ClientSecret, sealServerSecret } from "./secrets";

/** Discovery and registration together may take this long before the create is refused. */
const DISCOVERY_BUDGET_MS = 30_000;

/** The redirect URI of a config: registered with the provider, so it must be the real one. */
export function oauth2CallbackUrl(serverId: string): string {
  return `${getEnv().appUrl}/api/mcp/servers/${serverId}/oauth2/callback`;
}

/**
 * Where the authorization server sends the member back: the shared callback when the config
 * uses toolgate's client metadata document as client_id (its one redirect URI), else the
 * config's own callback.
 */
export function oauth2RedirectUri(row: Pick<McpServerRow, "id" | "oauth2ClientId">): string {
  const cimd = clientMetadataDocumentUrl();
  return cimd !== null && row.oauth2ClientId === cimd
    ? sharedCallbackUrl()
    : oauth2CallbackUrl(row.id);
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

/** A client metadata document client: public (PKCE only), nothing registered to undo. */
const NO_SECRET = {
  clientSecret: null,
  authMethod: "none",
  registrationClientUri: null,
  registrationAccessToken: null,
} as const satisfies Omit<RegisteredClient, "clientId">;

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
 * Discovers the authorization server of an MCP server and sets up a client there (RFC 9728 →
 * RFC 8414 → a client metadata document where the server supports one and APP_URL is https,
 * else RFC 7591 registration). `serverId` must be the id the config will be stored under: it
 * is part of the registered redirect URI. Throws ApiError 400 naming the failed step, URL and
 * problem. Call `abandon` if the config is then not stored.
 */
export async function discoverOauth2(input: {
  serverId: string;
  url: string;
  transport: "streamable_http" | "sse";
  /** Scopes the admin entered; when empty, the discovered ones are used. */
  scopes: string;
  /** Only for the conformance suite, whose server expects its own fixed URL. */
  clientMetadataUrl?: string | null;
  /** What a discovery just found, when the caller already ran it. */
  found?: DiscoveredAuthorization;
}): Promise<{ fields: DiscoveredOauth2; abandon: () => Promise<void> }> {
  const signal = AbortSignal.timeout(DISCOVERY_BUDGET_MS);
  let registered: RegisteredClient;
  let found: DiscoveredAuthorization;
  try {
    found = input.found ?? (await discoverAuthorization(input.url, input.transport, { signal }));
    const cimd = input.clientMetadataUrl ?? clientMetadataDocumentUrl();
    registered =
      cimd !== null && found.metadata.client_id_metadata_document_supported === true
        ? { ...NO_SECRET, clientId: cimd }
        : await registerClient(
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
