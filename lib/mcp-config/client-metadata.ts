import "server-only";
// toolgate's OAuth Client ID Metadata Document (CIMD; the MCP authorization specification
// prefers it to dynamic registration). Where an authorization server advertises
// `client_id_metadata_document_supported`, toolgate's client_id is the URL of this document,
// which the server fetches to learn the client: nothing is registered, nothing is stored
// there, and one document serves every MCP server and every toolgate member. The document
// names one redirect URI for all servers (the shared callback): the single-use `state` says
// which server a response belongs to.
import { getEnv } from "@/lib/env";

export const CLIENT_METADATA_PATH = "/api/mcp/oauth2/client-metadata";
export const SHARED_CALLBACK_PATH = "/api/mcp/oauth2/callback";

/**
 * The document's URL, which is also the client_id; null when APP_URL is not https (a CIMD
 * client_id must be an https URL, so a plain-http deployment registers dynamically instead).
 */
export function clientMetadataDocumentUrl(): string | null {
  const { appUrl } = getEnv();
  return appUrl.startsWith("https://") ? `${appUrl}${CLIENT_METADATA_PATH}` : null;
}

export function sharedCallbackUrl(): string {
  return `${getEnv().appUrl}${SHARED_CALLBACK_PATH}`;
}

/** The document itself: a public client (PKCE, no secret), authorization code + refresh. */
export function clientMetadataDocument(clientId: string): Record<string, unknown> {
  const { appUrl } = getEnv();
  return {
    client_id: clientId,
    client_name: "toolgate",
    client_uri: appUrl,
    redirect_uris: [sharedCallbackUrl()],
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
    token_endpoint_auth_method: "none",
    application_type: "web",
  };
}
