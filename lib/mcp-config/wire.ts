// Response shapes of the MCP server config routes (docs/api.md), produced by serialize.ts and
// test-connection.ts. Types only: the browser imports them too.
import type { ToolReason } from "@/lib/policy/reasons";

export type McpTransport = "streamable_http" | "sse";
export type McpAuthType = "none" | "oauth2" | "api_key" | "custom_headers" | "user_oidc";
export type McpAvailability = "force_on" | "default_on" | "default_off";

export interface McpServerStatus {
  state: "ok" | "error" | "unknown";
  checked_at: string | null;
  detail?: string;
}

/** `McpServerConfig` of the API contract. Members get url/transport/oauth2_* blanked. */
export interface McpServerConfig {
  id: string;
  display_name: string;
  slug: string;
  description: string;
  icon_url: string;
  url: string;
  transport: McpTransport | "";
  auth_type: McpAuthType;
  oauth2_client_id: string;
  has_oauth2_secret: boolean;
  oauth2_auth_url: string;
  oauth2_token_url: string;
  oauth2_scopes: string;
  api_key_header: string;
  has_api_key: boolean;
  custom_header_names: string[];
  has_custom_headers: boolean;
  tool_allow_list: string[];
  tool_deny_list: string[];
  availability: McpAvailability;
  enabled: boolean;
  model_intent: boolean;
  allow_in_plan_mode: boolean;
  plan_mode_tools: string[] | null;
  tool_default: "enabled" | "disabled" | "approval";
  pin_tool_definitions: boolean;
  /** Admins, in the list only: tools held until an admin reviews their new definition. */
  tools_pending_review?: number;
  forward_identity_headers: boolean;
  version: number;
  created_at: string;
  updated_at: string;
  auth_connected: boolean;
  status: McpServerStatus;
}

export interface McpToolPreview {
  /** The tool's name on the MCP server. */
  name: string;
  /** The name the model sees: `<slug>__<tool>`, sanitised and unique. */
  exposed_name: string;
  description: string;
  annotations: {
    title?: string;
    readOnlyHint?: boolean;
    destructiveHint?: boolean;
    idempotentHint?: boolean;
    openWorldHint?: boolean;
  };
  /** Admitted by enabled state and the allow/deny lists (normal turns). */
  allowed: boolean;
  /** Admitted in a root plan-mode turn. */
  plan_mode_allowed: boolean;
  /** Policy reason code for `allowed` (or for plan mode when only that is refused). */
  reason: ToolReason;
}

export interface McpTestResult {
  ok: boolean;
  latency_ms: number;
  tools: McpToolPreview[];
  error?: { code: string; message: string };
}
