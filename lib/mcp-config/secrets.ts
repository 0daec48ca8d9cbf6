import "server-only";
import type { McpServerRow } from "@/db/queries/mcp-servers";
import { openSecret, sealSecret, secretAad } from "@/lib/crypto/secrets";

type SecretColumn = "oauth2_client_secret_enc" | "api_key_value_enc" | "custom_headers_enc";

const TABLE = "mcp_server_configs";

export function sealServerSecret(column: SecretColumn, serverId: string, value: string): string {
  return sealSecret(value, secretAad(TABLE, column, serverId));
}

function open(column: SecretColumn, row: McpServerRow, sealed: string | null): string | null {
  return sealed === null ? null : openSecret(sealed, secretAad(TABLE, column, row.id));
}

export function openApiKey(row: McpServerRow): string | null {
  return open("api_key_value_enc", row, row.apiKeyValueEnc);
}

export function openOauth2ClientSecret(row: McpServerRow): string | null {
  return open("oauth2_client_secret_enc", row, row.oauth2ClientSecretEnc);
}

export function openCustomHeaders(row: McpServerRow): Record<string, string> {
  const json = open("custom_headers_enc", row, row.customHeadersEnc);
  return json ? (JSON.parse(json) as Record<string, string>) : {};
}

export function sealCustomHeaders(
  serverId: string,
  headers: Record<string, string>,
): string | null {
  return Object.keys(headers).length === 0
    ? null
    : sealServerSecret("custom_headers_enc", serverId, JSON.stringify(headers));
}
