// Fixtures shared by the form logic and validation tests.
import type { McpServerConfig } from "@/lib/client/types";
import { emptyForm, type McpServerFormValues } from "./mcp-server-form-logic";

export function config(overrides: Partial<McpServerConfig> = {}): McpServerConfig {
  return {
    id: "0b8f6c1e-1111-4222-8333-444455556666",
    display_name: "Docs search",
    slug: "docs-search",
    description: "Search the handbook",
    icon_url: "",
    url: "https://mcp.example.com/mcp",
    transport: "streamable_http",
    auth_type: "none",
    oauth2_client_id: "",
    has_oauth2_secret: false,
    oauth2_auth_url: "",
    oauth2_token_url: "",
    oauth2_scopes: "",
    api_key_header: "",
    has_api_key: false,
    custom_header_names: [],
    has_custom_headers: false,
    tool_allow_list: [],
    tool_deny_list: [],
    availability: "default_off",
    enabled: false,
    model_intent: false,
    allow_in_plan_mode: false,
    plan_mode_tools: null,
    forward_identity_headers: false,
    tool_default: "enabled",
    pin_tool_definitions: true,
    version: 3,
    created_at: "2026-01-01T00:00:00.000Z",
    updated_at: "2026-01-01T00:00:00.000Z",
    auth_connected: true,
    status: { state: "unknown", checked_at: null },
    ...overrides,
  };
}

export const form = (overrides: Partial<McpServerFormValues> = {}): McpServerFormValues => ({
  ...emptyForm(),
  display_name: "Docs search",
  url: "https://mcp.example.com/mcp",
  ...overrides,
});
