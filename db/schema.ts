import { sql } from "drizzle-orm";
import type { AuthType, Availability, ToolRule, ToolStatus, Transport } from "./enums";
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from "drizzle-orm/pg-core";

const id = () => uuid("id").primaryKey().defaultRandom();
const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();

export const USER_ROLES = ["admin", "member"] as const;
export type UserRole = (typeof USER_ROLES)[number];
export const LOGIN_TYPES = ["password", "oidc"] as const;
export type LoginType = (typeof LOGIN_TYPES)[number];

export const users = pgTable(
  "users",
  {
    id: id(),
    // Stored lower-cased; uniqueness is on the normalised form.
    email: text("email").notNull(),
    name: text("name").notNull(),
    passwordHash: text("password_hash"),
    role: text("role").$type<UserRole>().notNull().default("member"),
    loginType: text("login_type").$type<LoginType>().notNull().default("password"),
    disabled: boolean("disabled").notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("users_email_key").on(t.email),
    check("users_role_check", sql`${t.role} in ('admin', 'member')`),
    check("users_login_type_check", sql`${t.loginType} in ('password', 'oidc')`),
  ],
);

export const apiTokens = pgTable(
  "api_tokens",
  {
    id: id(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    // SHA-256 of the token: tokens carry 256 random bits, so a fast hash is enough.
    tokenHash: text("token_hash").notNull(),
    // First characters of the token, shown so a user can tell tokens apart.
    prefix: text("prefix").notNull(),
    createdAt: createdAt(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("api_tokens_hash_key").on(t.tokenHash),
    index("api_tokens_user_idx").on(t.userId),
  ],
);

/**
 * One row per signed-in browser. The session cookie (a JWT) carries the row's id; a cookie
 * whose row is gone is refused on the next request. Deleting rows is how sign-out, a password
 * change, a disable or a role change end sessions at once, on every instance.
 */
export const sessions = pgTable(
  "sessions",
  {
    id: id(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

/**
 * Failed password sign-ins per key (an email hash, alone or with the client address), counted
 * in place by one upsert so parallel attempts on any number of instances see every failure.
 */
export const loginThrottle = pgTable("login_throttle", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull(),
  windowStartedAt: timestamp("window_started_at", { withTimezone: true }).notNull().defaultNow(),
});

/** A user's link to the OIDC identity provider, with the provider's tokens sealed. */
export const oidcAccounts = pgTable(
  "oidc_accounts",
  {
    id: id(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    issuer: text("issuer").notNull(),
    subject: text("subject").notNull(),
    accessTokenEnc: text("access_token_enc"),
    refreshTokenEnc: text("refresh_token_enc"),
    idTokenEnc: text("id_token_enc"),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    scope: text("scope"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("oidc_accounts_issuer_subject_key").on(t.issuer, t.subject),
    index("oidc_accounts_user_idx").on(t.userId),
  ],
);

export const AUDIT_OUTCOMES = ["success", "failure", "denied"] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export const auditEvents = pgTable(
  "audit_events",
  {
    id: id(),
    actorId: uuid("actor_id").references(() => users.id, { onDelete: "set null" }),
    action: text("action").notNull(),
    targetType: text("target_type").notNull(),
    targetId: text("target_id"),
    outcome: text("outcome").$type<AuditOutcome>().notNull(),
    // Names and facts only, never secret values: see lib/audit.
    detail: jsonb("detail").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [
    index("audit_events_created_idx").on(t.createdAt),
    index("audit_events_target_idx").on(t.targetType, t.targetId),
  ],
);

export const mcpServerConfigs = pgTable(
  "mcp_server_configs",
  {
    id: id(),
    displayName: text("display_name").notNull(),
    slug: text("slug").notNull(),
    description: text("description").notNull().default(""),
    iconUrl: text("icon_url").notNull().default(""),
    url: text("url").notNull(),
    transport: text("transport").$type<Transport>().notNull().default("streamable_http"),
    authType: text("auth_type").$type<AuthType>().notNull().default("none"),
    oauth2ClientId: text("oauth2_client_id").notNull().default(""),
    oauth2ClientSecretEnc: text("oauth2_client_secret_enc"),
    oauth2AuthUrl: text("oauth2_auth_url").notNull().default(""),
    oauth2TokenUrl: text("oauth2_token_url").notNull().default(""),
    oauth2Scopes: text("oauth2_scopes").notNull().default(""),
    // Filled by automatic discovery (lib/oauth); empty for a manual client, where the resource
    // is derived from `url` and the callback's `iss` cannot be checked against anything.
    oauth2Issuer: text("oauth2_issuer").notNull().default(""),
    oauth2RevocationUrl: text("oauth2_revocation_url").notNull().default(""),
    // RFC 8707 resource indicator sent on authorization and token requests.
    oauth2Resource: text("oauth2_resource").notNull().default(""),
    // RFC 7591 token_endpoint_auth_method; empty: client_secret_basic with a secret, else none.
    oauth2TokenAuthMethod: text("oauth2_token_auth_method").notNull().default(""),
    // RFC 9207: the metadata says the server sends `iss`, so a callback without it is refused.
    oauth2IssRequired: boolean("oauth2_iss_required").notNull().default(false),
    oauth2Discovered: boolean("oauth2_discovered").notNull().default(false),
    apiKeyHeader: text("api_key_header").notNull().default(""),
    apiKeyValueEnc: text("api_key_value_enc"),
    // Header values are secrets (sealed as one JSON object); names are not, and members'
    // redacted view and the form need them without opening the secret.
    customHeadersEnc: text("custom_headers_enc"),
    customHeaderNames: text("custom_header_names")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    toolAllowList: text("tool_allow_list")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    toolDenyList: text("tool_deny_list")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    availability: text("availability").$type<Availability>().notNull().default("default_off"),
    enabled: boolean("enabled").notNull().default(false),
    modelIntent: boolean("model_intent").notNull().default(false),
    allowInPlanMode: boolean("allow_in_plan_mode").notNull().default(false),
    planModeTools: text("plan_mode_tools").array(),
    forwardIdentityHeaders: boolean("forward_identity_headers").notNull().default(false),
    // The rule a tool gets when the server lists it for the first time.
    toolDefault: text("tool_default").$type<ToolRule>().notNull().default("enabled"),
    // A tool whose definition changes is held until an admin approves the new one.
    pinToolDefinitions: boolean("pin_tool_definitions").notNull().default(true),
    version: integer("version").notNull().default(1),
    statusState: text("status_state").notNull().default("unknown"),
    statusCheckedAt: timestamp("status_checked_at", { withTimezone: true }),
    statusDetail: text("status_detail"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("mcp_server_configs_slug_key").on(t.slug),
    check("mcp_server_configs_transport_check", sql`${t.transport} in ('streamable_http', 'sse')`),
    check(
      "mcp_server_configs_auth_type_check",
      sql`${t.authType} in ('none', 'oauth2', 'api_key', 'custom_headers', 'user_oidc')`,
    ),
    check(
      "mcp_server_configs_availability_check",
      sql`${t.availability} in ('force_on', 'default_on', 'default_off')`,
    ),
    check("mcp_server_configs_status_check", sql`${t.statusState} in ('ok', 'error', 'unknown')`),
    check(
      "mcp_server_configs_tool_default_check",
      sql`${t.toolDefault} in ('enabled', 'disabled', 'approval')`,
    ),
  ],
);

/**
 * The tool catalogue: every tool an admin-registered server has ever listed, shared by all
 * users, with the admin's per-tool decisions and the pinned (approved) definition. See
 * docs/architecture.md, "Tool governance".
 */
export const mcpServerTools = pgTable(
  "mcp_server_tools",
  {
    serverId: uuid("server_id")
      .notNull()
      .references(() => mcpServerConfigs.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    // The definition as last listed: name, title, description, inputSchema, outputSchema,
    // annotations, icons and _meta.ui (the fields definition_hash covers).
    definition: jsonb("definition").$type<Record<string, unknown>>().notNull(),
    definitionHash: text("definition_hash").notNull(),
    // The definition the admin (or first sight on a pinned server) approved; shown as
    // `previous` beside a changed one.
    approvedDefinition: jsonb("approved_definition").$type<Record<string, unknown>>(),
    approvedHash: text("approved_hash"),
    status: text("status").$type<ToolStatus>().notNull().default("active"),
    rule: text("rule").$type<ToolRule>().notNull().default("enabled"),
    planMode: boolean("plan_mode").notNull().default(false),
    // First seen after the server's last review: the UI marks it until an admin reviews it.
    isNew: boolean("is_new").notNull().default(true),
    firstSeenAt: timestamp("first_seen_at", { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
    reviewedBy: uuid("reviewed_by").references(() => users.id, { onDelete: "set null" }),
    reviewedAt: timestamp("reviewed_at", { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.serverId, t.name] }),
    check("mcp_server_tools_status_check", sql`${t.status} in ('active', 'changed', 'removed')`),
    check("mcp_server_tools_rule_check", sql`${t.rule} in ('enabled', 'disabled', 'approval')`),
  ],
);

/** A user's OAuth2 tokens for one MCP server (the per-user connect flow). */
export const mcpServerUserTokens = pgTable(
  "mcp_server_user_tokens",
  {
    id: id(),
    serverId: uuid("server_id")
      .notNull()
      .references(() => mcpServerConfigs.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    accessTokenEnc: text("access_token_enc"),
    refreshTokenEnc: text("refresh_token_enc"),
    tokenType: text("token_type").notNull().default("Bearer"),
    scope: text("scope"),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    // Set when a refresh failed for good (invalid_grant): the user must connect again.
    needsReconnect: boolean("needs_reconnect").notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("mcp_server_user_tokens_server_user_key").on(t.serverId, t.userId),
    index("mcp_server_user_tokens_user_idx").on(t.userId),
  ],
);

/**
 * Pending OAuth2 authorization requests (the connect flow): single use, short-lived, bound to
 * one user and one server config. Only a hash of `state` is stored, so a database read does
 * not let anyone complete someone else's flow; the PKCE verifier is sealed.
 */
export const mcpOauthStates = pgTable(
  "mcp_oauth_states",
  {
    id: id(),
    stateHash: text("state_hash").notNull(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    serverId: uuid("server_id")
      .notNull()
      .references(() => mcpServerConfigs.id, { onDelete: "cascade" }),
    // The config version the request was built from: a config edited meanwhile is refused.
    serverVersion: integer("server_version").notNull(),
    codeVerifierEnc: text("code_verifier_enc").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("mcp_oauth_states_hash_key").on(t.stateHash),
    index("mcp_oauth_states_user_idx").on(t.userId),
    index("mcp_oauth_states_expires_idx").on(t.expiresAt),
  ],
);

export const CHAT_STATUSES = ["idle", "running", "waiting", "error"] as const;
export type ChatStatus = (typeof CHAT_STATUSES)[number];
/** Who a chat's turns run as: the user's own chat, or a sub-agent one of its turns spawned. */
export const AGENT_KINDS = ["root", "subagent", "explore"] as const;
export type ChatAgentKind = (typeof AGENT_KINDS)[number];

export const chats = pgTable(
  "chats",
  {
    id: id(),
    ownerId: uuid("owner_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    title: text("title").notNull().default(""),
    model: text("model"),
    mcpServerIds: uuid("mcp_server_ids")
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    workspaceId: uuid("workspace_id"),
    // A sub-agent's chat goes with its parent.
    parentChatId: uuid("parent_chat_id").references((): AnyPgColumn => chats.id, {
      onDelete: "cascade",
    }),
    // Stored, not derived from parentChatId: the tool policy treats subagent and explore apart.
    agentKind: text("agent_kind").$type<ChatAgentKind>().notNull().default("root"),
    status: text("status").$type<ChatStatus>().notNull().default("idle"),
    // The last message of the branch shown and continued (docs/chat-branches.md); null: none yet.
    // No foreign key: messages already reference chats, and a stale id falls back to the newest.
    leafMessageId: uuid("leaf_message_id"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("chats_owner_updated_idx").on(t.ownerId, t.updatedAt),
    index("chats_parent_idx").on(t.parentChatId),
    check("chats_status_check", sql`${t.status} in ('idle', 'running', 'waiting', 'error')`),
    check("chats_agent_kind_check", sql`${t.agentKind} in ('root', 'subagent', 'explore')`),
  ],
);

export const PROVIDER_KINDS = ["openai-compatible", "openai", "anthropic"] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

export const modelProviders = pgTable(
  "model_providers",
  {
    id: id(),
    kind: text("kind").$type<ProviderKind>().notNull(),
    displayName: text("display_name").notNull(),
    baseUrl: text("base_url").notNull().default(""),
    apiKeyEnc: text("api_key_enc"),
    models: text("models")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    defaultModel: text("default_model"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check(
      "model_providers_kind_check",
      sql`${t.kind} in ('openai-compatible', 'openai', 'anthropic')`,
    ),
  ],
);

export const MESSAGE_STATUSES = [
  "complete",
  "streaming",
  "error",
  "cancelled",
  "interrupted",
] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export const messages = pgTable(
  "messages",
  {
    id: id(),
    chatId: uuid("chat_id")
      .notNull()
      .references(() => chats.id, { onDelete: "cascade" }),
    role: text("role").$type<"user" | "assistant">().notNull(),
    // The message this one follows; messages sharing a parent are alternative branches
    // (an edited question, a regenerated answer). Null for a chat's first message(s).
    parentId: uuid("parent_id").references((): AnyPgColumn => messages.id, {
      onDelete: "cascade",
    }),
    planMode: boolean("plan_mode").notNull().default(false),
    // Part[] of the API contract, stored as sent to clients.
    parts: jsonb("parts").$type<unknown[]>().notNull().default([]),
    status: text("status").$type<MessageStatus>().notNull().default("complete"),
    // clock_timestamp, not now(): a turn stores its user and assistant messages in one
    // transaction, where now() is the same for both and would not order them.
    createdAt: timestamp("created_at", { withTimezone: true })
      .notNull()
      .default(sql`clock_timestamp()`),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("messages_chat_created_idx").on(t.chatId, t.createdAt),
    index("messages_parent_idx").on(t.parentId),
    check("messages_role_check", sql`${t.role} in ('user', 'assistant')`),
  ],
);

export const TURN_STATUSES = ["running", "done", "error", "cancelled", "interrupted"] as const;
export type TurnStatus = (typeof TURN_STATUSES)[number];

/** One model loop answering one user message. At most one runs per chat. */
export const turns = pgTable(
  "turns",
  {
    id: id(),
    chatId: uuid("chat_id")
      .notNull()
      .references(() => chats.id, { onDelete: "cascade" }),
    assistantMessageId: uuid("assistant_message_id").notNull(),
    status: text("status").$type<TurnStatus>().notNull().default("running"),
    cancelRequested: boolean("cancel_requested").notNull().default(false),
    error: text("error"),
    // Refreshed by the instance running the turn; a stale one means that instance died.
    heartbeatAt: timestamp("heartbeat_at", { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp("ended_at", { withTimezone: true }),
  },
  (t) => [
    index("turns_chat_idx").on(t.chatId, t.startedAt),
    // The database, not the app, guarantees one running turn per chat.
    uniqueIndex("turns_one_running_per_chat")
      .on(t.chatId)
      .where(sql`${t.status} = 'running'`),
  ],
);

/** Stream chunks of a turn, in order: any instance can replay and follow them. */
export const turnChunks = pgTable(
  "turn_chunks",
  {
    turnId: uuid("turn_id")
      .notNull()
      .references(() => turns.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    chunk: jsonb("chunk").$type<Record<string, unknown>>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.turnId, t.seq] })],
);

/** Instance-wide settings an admin edits (GET/PUT /api/admin/settings), one row per key. */
export const appSettings = pgTable("app_settings", {
  key: text("key").primaryKey(),
  value: jsonb("value").$type<unknown>().notNull(),
  updatedBy: uuid("updated_by").references(() => users.id, { onDelete: "set null" }),
  updatedAt: updatedAt(),
});

export const WORKSPACE_STATUSES = ["stopped", "starting", "running", "error"] as const;
export type WorkspaceStatus = (typeof WORKSPACE_STATUSES)[number];

/**
 * A workspace: a directory under DATA_DIR/workspaces/<id> served by its own agent process
 * (lib/workspace/provisioner). The agent's address, pid and token are set while it runs; the
 * token is sealed (db/encrypted-columns.ts).
 */
export const workspaces = pgTable(
  "workspaces",
  {
    id: id(),
    ownerId: uuid("owner_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    template: text("template").notNull(),
    status: text("status").$type<WorkspaceStatus>().notNull().default("stopped"),
    dir: text("dir").notNull(),
    agentUrl: text("agent_url"),
    agentTokenEnc: text("agent_token_enc"),
    agentPid: integer("agent_pid"),
    error: text("error"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("workspaces_owner_created_idx").on(t.ownerId, t.createdAt),
    check(
      "workspaces_status_check",
      sql`${t.status} in ('stopped', 'starting', 'running', 'error')`,
    ),
  ],
);
