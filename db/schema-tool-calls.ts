// Tables of the person in the loop: requests a paused turn waits on (tool-call approvals now,
// MCP elicitations later), time-boxed grants, and the audit trail of every tool call the model
// makes. Kept apart from db/schema.ts (drizzle.config.ts reads both). See docs/paused-turns.md.
import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { chats, users } from "./schema";

/** What a paused turn waits for. Elicitation will be the second kind. */
export const PENDING_KINDS = ["approval", "elicitation"] as const;
export type PendingKind = (typeof PENDING_KINDS)[number];
/** Approval states; elicitation adds accepted / declined / cancelled. */
export const PENDING_STATES = [
  "pending",
  "approved",
  "denied",
  "expired",
  "accepted",
  "declined",
  "cancelled",
] as const;
export type PendingState = (typeof PENDING_STATES)[number];

/**
 * One question a paused turn put to the chat's owner. The turn that asked has ended; whoever
 * answers (any instance, after any restart) decides the row and, once the message has no open
 * question left, starts the turn that continues the same assistant message.
 */
export const pendingRequests = pgTable(
  "pending_requests",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: text("kind").$type<PendingKind>().notNull(),
    chatId: uuid("chat_id")
      .notNull()
      .references(() => chats.id, { onDelete: "cascade" }),
    ownerId: uuid("owner_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    // The turn that paused and the assistant message the answer continues.
    turnId: uuid("turn_id").notNull(),
    messageId: uuid("message_id").notNull(),
    toolCallId: text("tool_call_id").notNull(),
    state: text("state").$type<PendingState>().notNull().default("pending"),
    // Kind-specific facts of the question (approval: tool, server, input, intent, schema).
    request: jsonb("request").$type<Record<string, unknown>>().notNull(),
    // Kind-specific answer (approval: edited input, remember).
    response: jsonb("response").$type<Record<string, unknown>>(),
    decidedBy: uuid("decided_by").references(() => users.id, { onDelete: "set null" }),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    // The turn that carried the answer to the model; null while that has not started.
    resumedTurnId: uuid("resumed_turn_id"),
    createdAt: timestamp("created_at", { withTimezone: true })
      .notNull()
      .default(sql`clock_timestamp()`),
  },
  (t) => [
    index("pending_requests_chat_idx").on(t.chatId, t.createdAt),
    index("pending_requests_open_idx")
      .on(t.expiresAt)
      .where(sql`${t.state} = 'pending'`),
    index("pending_requests_unresumed_idx")
      .on(t.messageId)
      .where(sql`${t.resumedTurnId} is null`),
    uniqueIndex("pending_requests_call_key").on(t.messageId, t.toolCallId, t.kind),
    check("pending_requests_kind_check", sql`${t.kind} in ('approval', 'elicitation')`),
    check(
      "pending_requests_state_check",
      sql`${t.state} in ('pending', 'approved', 'denied', 'expired', 'accepted', 'declined', 'cancelled')`,
    ),
  ],
);

/** "This tool, this chat, for a while": later calls run without asking until it expires. */
export const toolGrants = pgTable(
  "tool_grants",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    chatId: uuid("chat_id")
      .notNull()
      .references(() => chats.id, { onDelete: "cascade" }),
    source: text("source").$type<"mcp" | "workspace_mcp">().notNull(),
    serverId: uuid("server_id"),
    // The tool's own name on its server.
    toolName: text("tool_name").notNull(),
    // The name the model sees, for display.
    exposedName: text("exposed_name").notNull(),
    approvalId: uuid("approval_id"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    revokedBy: uuid("revoked_by").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [index("tool_grants_chat_idx").on(t.chatId, t.expiresAt)],
);

export const AUDIT_DECISIONS = ["allowed", "denied", "approved", "declined", "expired"] as const;
export type ToolAuditDecision = (typeof AUDIT_DECISIONS)[number];
export const AUDIT_CALL_OUTCOMES = ["ok", "error", "timeout", "not_run"] as const;
export type ToolAuditOutcome = (typeof AUDIT_CALL_OUTCOMES)[number];

/**
 * One row per tool call the model made, whatever became of it. Never the arguments or the
 * result: only the SHA-256 of the canonical arguments. No foreign keys: the record outlives the
 * chat and the user (their email is kept as it was).
 */
export const toolCallAudit = pgTable(
  "tool_call_audit",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    // Milliseconds, as JavaScript reads them: the pagination cursor must round-trip exactly.
    at: timestamp("at", { withTimezone: true, precision: 3 })
      .notNull()
      .default(sql`clock_timestamp()`),
    userId: uuid("user_id").notNull(),
    userEmail: text("user_email").notNull(),
    chatId: uuid("chat_id").notNull(),
    turnId: uuid("turn_id").notNull(),
    toolCallId: text("tool_call_id").notNull(),
    serverId: uuid("server_id"),
    serverSlug: text("server_slug"),
    source: text("source").$type<"builtin" | "mcp" | "workspace_mcp">().notNull(),
    tool: text("tool").notNull(),
    definitionHash: text("definition_hash"),
    planMode: boolean("plan_mode").notNull(),
    agent: text("agent").$type<"root" | "subagent" | "explore">().notNull(),
    modelIntent: text("model_intent"),
    inputSha256: text("input_sha256").notNull(),
    decision: text("decision").$type<ToolAuditDecision>().notNull(),
    decidedBy: uuid("decided_by"),
    reason: text("reason"),
    outcome: text("outcome").$type<ToolAuditOutcome>().notNull(),
    errorCode: text("error_code"),
    durationMs: integer("duration_ms"),
  },
  (t) => [
    index("tool_call_audit_at_idx").on(t.at, t.id),
    index("tool_call_audit_user_idx").on(t.userId, t.at),
    index("tool_call_audit_server_idx").on(t.serverId, t.at),
    check(
      "tool_call_audit_decision_check",
      sql`${t.decision} in ('allowed', 'denied', 'approved', 'declined', 'expired')`,
    ),
    check(
      "tool_call_audit_outcome_check",
      sql`${t.outcome} in ('ok', 'error', 'timeout', 'not_run')`,
    ),
  ],
);

/** When a periodic job last ran anywhere: several instances share one daily sweep. */
export const jobRuns = pgTable("job_runs", {
  name: text("name").primaryKey(),
  lastRunAt: timestamp("last_run_at", { withTimezone: true }).notNull(),
});

/**
 * The state of one round of a 2026-07-28 multi-round-trip tool call (an `input_required`
 * answer) while the person is asked: the server's opaque `requestState` and its embedded
 * requests, sealed (they may carry secrets), keyed by the call and the round. Claimed exactly
 * once for the retry (consumed_at set and the sealed state erased in the same statement);
 * spent and expired rows are deleted by the approval sweep. See docs/mcp-2026-wire.md.
 */
export const mcpInputRounds = pgTable(
  "mcp_input_rounds",
  {
    id: uuid("id").primaryKey(),
    chatId: uuid("chat_id")
      .notNull()
      .references(() => chats.id, { onDelete: "cascade" }),
    turnId: uuid("turn_id").notNull(),
    toolCallId: text("tool_call_id").notNull(),
    round: integer("round").notNull(),
    // Sealed JSON {requestState?, inputRequests}; null once claimed.
    stateEnc: text("state_enc"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    consumedAt: timestamp("consumed_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("mcp_input_rounds_call_key").on(t.turnId, t.toolCallId, t.round),
    index("mcp_input_rounds_expires_idx").on(t.expiresAt),
  ],
);
