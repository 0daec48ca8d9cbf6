import "server-only";
// MCP elicitations as rows of pending_requests (kind `elicitation`) and as the contract's
// `elicitation` part. Unlike an approval, the turn that asked keeps running: the server's tool
// call is open and waits for the answer, so the row is carried by that same turn from the
// start (resumed_turn_id = turn_id) and no continuing turn is ever started for it. The
// tool_call_id column takes a per-question suffix (one call may ask several questions; the
// column is unique per message, call and kind); the call's own id is in `request`.
// See docs/paused-turns.md.
import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { insertPendingRequest, type PendingRequestRow } from "@/db/queries/pending-requests";
import { turns } from "@/db/schema";
import { pendingRequests } from "@/db/schema-tool-calls";
import type { Elicitation, ElicitationPart, ElicitationState } from "@/lib/chat/wire";

/** The request column of an elicitation row. */
export interface ElicitationRequest {
  toolCallId: string;
  serverId?: string;
  serverName: string;
  mode: "form" | "url";
  message: string;
  requestedSchema?: Record<string, unknown>;
  url?: string;
  /** The server's own id of a URL-mode elicitation. */
  elicitationId?: string;
  planMode: boolean;
}

/** The response column: the answer the server gets, or why nobody answered. */
export interface ElicitationResponse {
  action?: "accept" | "decline" | "cancel";
  content?: Record<string, unknown>;
  reason?: ElicitationPart["reason"];
}

export const elicitationRequestOf = (row: PendingRequestRow) =>
  row.request as unknown as ElicitationRequest;
export const elicitationResponseOf = (row: PendingRequestRow) =>
  (row.response ?? {}) as unknown as ElicitationResponse;

export async function storeElicitation(
  db: Executor,
  opts: {
    chatId: string;
    ownerId: string;
    turnId: string;
    messageId: string;
    request: ElicitationRequest;
    expiresAt: Date;
    /** Decided at once (plan mode): the state and why. */
    decided?: { state: ElicitationState; response: ElicitationResponse };
  },
): Promise<PendingRequestRow> {
  return insertPendingRequest(db, {
    kind: "elicitation",
    chatId: opts.chatId,
    ownerId: opts.ownerId,
    turnId: opts.turnId,
    messageId: opts.messageId,
    toolCallId: `${opts.request.toolCallId}#${randomUUID().slice(0, 8)}`,
    request: opts.request as unknown as Record<string, unknown>,
    expiresAt: opts.expiresAt,
    // The asking turn carries the answer itself: never picked up by a resume.
    resumedTurnId: opts.turnId,
    ...(opts.decided && {
      state: opts.decided.state,
      response: opts.decided.response as Record<string, unknown>,
      decidedAt: new Date(),
    }),
  });
}

export function elicitationPartOf(row: PendingRequestRow): ElicitationPart {
  const req = elicitationRequestOf(row);
  const res = elicitationResponseOf(row);
  return {
    type: "elicitation",
    elicitation_id: row.id,
    tool_call_id: req.toolCallId,
    server_name: req.serverName,
    mode: req.mode,
    message: req.message,
    state: row.state as ElicitationState,
    expires_at: row.expiresAt.toISOString(),
    ...(req.serverId !== undefined && { server_id: req.serverId }),
    ...(req.requestedSchema !== undefined && { requested_schema: req.requestedSchema }),
    ...(req.url !== undefined && { url: req.url }),
    ...(row.decidedAt !== null && { decided_at: row.decidedAt.toISOString() }),
    ...(res.reason !== undefined && { reason: res.reason }),
  };
}

export function elicitationJson(row: PendingRequestRow): Elicitation {
  const { type: _type, ...part } = elicitationPartOf(row);
  return {
    ...part,
    chat_id: row.chatId,
    message_id: row.messageId,
    created_at: row.createdAt.toISOString(),
  };
}

export async function findElicitation(
  db: Executor,
  id: string,
): Promise<PendingRequestRow | undefined> {
  const [row] = await db
    .select()
    .from(pendingRequests)
    .where(and(eq(pendingRequests.id, id), eq(pendingRequests.kind, "elicitation")))
    .limit(1);
  return row;
}

/** Closes an open question without a person's answer (the call or the turn ended). */
export async function closeElicitation(
  db: Executor,
  id: string,
  state: "cancelled" | "expired",
  reason?: ElicitationPart["reason"],
): Promise<PendingRequestRow | undefined> {
  const [row] = await db
    .update(pendingRequests)
    .set({
      state,
      decidedAt: sql`now()`,
      ...(reason !== undefined && { response: { reason } }),
    })
    .where(and(eq(pendingRequests.id, id), eq(pendingRequests.state, "pending")))
    .returning();
  return row;
}

/**
 * Open questions whose turn no longer runs (the instance stopped or died mid-call): the
 * server's call is gone with its connection, so no answer can reach it. Marked cancelled
 * (reason `turn_ended`), of one chat or everywhere; returns the rows.
 */
export async function cancelOrphanElicitations(
  db: Executor,
  chatId?: string,
): Promise<PendingRequestRow[]> {
  return db
    .update(pendingRequests)
    .set({ state: "cancelled", decidedAt: sql`now()`, response: { reason: "turn_ended" } })
    .where(
      and(
        eq(pendingRequests.kind, "elicitation"),
        eq(pendingRequests.state, "pending"),
        chatId ? eq(pendingRequests.chatId, chatId) : undefined,
        sql`not exists (select 1 from ${turns} where ${turns.id} = ${pendingRequests.turnId} and ${turns.status} = 'running')`,
      ),
    )
    .returning();
}
