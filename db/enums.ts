// The closed value sets of the MCP config's text columns. The database enforces them with
// check constraints (db/schema.ts); here they type the columns, so code reading a row needs no
// cast, and the API's validation (lib/schemas/mcp-servers.ts) takes them from the same place.
// No imports: anything may use these without pulling in the database.
export const TRANSPORTS = ["streamable_http", "sse"] as const;
export const AUTH_TYPES = ["none", "oauth2", "api_key", "custom_headers", "user_oidc"] as const;
export const AVAILABILITIES = ["force_on", "default_on", "default_off"] as const;
export type Transport = (typeof TRANSPORTS)[number];
export type AuthType = (typeof AUTH_TYPES)[number];
export type Availability = (typeof AVAILABILITIES)[number];

// Per-tool governance (the tool catalogue, db/schema.ts `mcp_server_tools`).
/** What the admin decided for one tool: offered, hidden, or offered with a person in the loop. */
export const TOOL_RULES = ["enabled", "disabled", "approval"] as const;
/** Where a catalogued tool stands against the server's latest listing and the pinned definition. */
export const TOOL_STATUSES = ["active", "changed", "removed"] as const;
export type ToolRule = (typeof TOOL_RULES)[number];
export type ToolStatus = (typeof TOOL_STATUSES)[number];
