/**
 * Every column that holds a sealed secret (see lib/crypto). Rotation and the start-up key
 * check walk this list, so a new secret column must be added here.
 */
export interface EncryptedColumnSet {
  table: string;
  columns: readonly string[];
}

export const ENCRYPTED_COLUMNS: readonly EncryptedColumnSet[] = [
  { table: "oidc_accounts", columns: ["access_token_enc", "refresh_token_enc", "id_token_enc"] },
  {
    table: "mcp_server_configs",
    columns: ["oauth2_client_secret_enc", "api_key_value_enc", "custom_headers_enc"],
  },
  { table: "mcp_server_user_tokens", columns: ["access_token_enc", "refresh_token_enc"] },
  { table: "mcp_oauth_states", columns: ["code_verifier_enc"] },
  { table: "model_providers", columns: ["api_key_enc"] },
  { table: "workspaces", columns: ["agent_token_enc"] },
  { table: "mcp_input_rounds", columns: ["state_enc"] },
];
