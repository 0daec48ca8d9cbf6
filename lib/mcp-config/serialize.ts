import type { McpServerRow } from "@/db/queries/mcp-servers";
import type { McpServerConfig } from "@/lib/mcp-config/wire";

/**
 * The API view of a config. Secrets never leave: only `has_*` flags. Members get connection
 * and auth details blanked (they need the name, tools policy and their own auth state only).
 */
export function mcpServerJson(
  row: McpServerRow,
  opts: { redacted: boolean; authConnected: boolean },
): McpServerConfig {
  const r = opts.redacted;
  return {
    id: row.id,
    display_name: row.displayName,
    slug: row.slug,
    description: row.description,
    icon_url: row.iconUrl,
    url: r ? "" : row.url,
    transport: r ? "" : row.transport,
    auth_type: row.authType,
    oauth2_client_id: r ? "" : row.oauth2ClientId,
    has_oauth2_secret: row.oauth2ClientSecretEnc !== null,
    oauth2_auth_url: r ? "" : row.oauth2AuthUrl,
    oauth2_token_url: r ? "" : row.oauth2TokenUrl,
    oauth2_scopes: r ? "" : row.oauth2Scopes,
    api_key_header: r ? "" : row.apiKeyHeader,
    has_api_key: row.apiKeyValueEnc !== null,
    custom_header_names: r ? [] : row.customHeaderNames,
    has_custom_headers: row.customHeadersEnc !== null,
    tool_allow_list: row.toolAllowList,
    tool_deny_list: row.toolDenyList,
    availability: row.availability,
    enabled: row.enabled,
    model_intent: row.modelIntent,
    allow_in_plan_mode: row.allowInPlanMode,
    plan_mode_tools: row.planModeTools,
    forward_identity_headers: row.forwardIdentityHeaders,
    tool_default: row.toolDefault,
    pin_tool_definitions: row.pinToolDefinitions,
    version: row.version,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
    auth_connected: opts.authConnected,
    status: {
      state: row.statusState as "ok" | "error" | "unknown",
      checked_at: row.statusCheckedAt?.toISOString() ?? null,
      // Error details name hosts and URLs, which members do not get to see.
      ...(row.statusDetail && !r ? { detail: row.statusDetail } : {}),
    },
  };
}
