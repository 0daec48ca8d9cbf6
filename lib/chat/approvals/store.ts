import "server-only";
// Pending approvals as rows and as parts: a paused call is stored with everything its card
// shows and its answer is checked against, and the same row renders the contract's `approval`
// part wherever it is read (stream, stored message, GET approvals). See docs/paused-turns.md.
import type { Executor } from "@/db/client";
import type { ChatRow } from "@/db/queries/chats";
import { findMessage, updateMessage } from "@/db/queries/chats";
import { insertPendingRequest, type PendingRequestRow } from "@/db/queries/pending-requests";
import { getEnv } from "@/lib/env";
import type { Approval, ApprovalPart, ApprovalState, Part } from "@/lib/chat/wire";
import { elicitationPartOf } from "../elicitations/store";
import type { CarriedAnswer } from "../history";
import { inputSha256 } from "../tool-audit";
import {
  DECLINED_TEXT,
  EXPIRED_TEXT,
  STOPPED_TEXT,
  SUPERSEDED_TEXT,
  type AnsweredCall,
  type ApprovalAsk,
} from "./loop";

/** The request column of an approval row. */
export interface ApprovalRequest extends ApprovalAsk {
  planMode: boolean;
  agent: "root" | "subagent" | "explore";
  /** The audit's user facts, kept so any instance can write the row when it is answered. */
  userEmail: string;
  inputSha256: string;
}

/** The response column of an approval row. */
export interface ApprovalResponse {
  input?: Record<string, unknown>;
  remember?: "once" | "chat_1h";
  grantId?: string;
  /** Closed because the person sent a new message instead of answering. */
  superseded?: boolean;
  /** Closed because the person stopped the waiting chat instead of answering. */
  stopped?: boolean;
}

export const requestOf = (row: PendingRequestRow) => row.request as unknown as ApprovalRequest;
export const responseOf = (row: PendingRequestRow) =>
  (row.response ?? {}) as unknown as ApprovalResponse;

export async function storePendingApproval(
  db: Executor,
  opts: {
    chat: ChatRow;
    turnId: string;
    messageId: string;
    ask: ApprovalAsk;
    planMode: boolean;
    userEmail?: string;
  },
): Promise<PendingRequestRow> {
  const request: ApprovalRequest = {
    ...opts.ask,
    planMode: opts.planMode,
    agent: opts.chat.agentKind,
    userEmail: opts.userEmail ?? "",
    inputSha256: inputSha256(opts.ask.input),
  };
  return insertPendingRequest(db, {
    kind: "approval",
    chatId: opts.chat.id,
    ownerId: opts.chat.ownerId,
    turnId: opts.turnId,
    messageId: opts.messageId,
    toolCallId: opts.ask.toolCallId,
    request: request as unknown as Record<string, unknown>,
    expiresAt: new Date(Date.now() + getEnv().APPROVAL_TIMEOUT_S * 1000),
  });
}

export function approvalPartOf(row: PendingRequestRow): ApprovalPart {
  const req = requestOf(row);
  const res = responseOf(row);
  return {
    type: "approval",
    approval_id: row.id,
    tool_call_id: row.toolCallId,
    name: req.name,
    tool_name: req.toolName,
    source: req.source,
    input: req.input,
    input_schema: req.inputSchema,
    state: row.state as ApprovalState,
    expires_at: row.expiresAt.toISOString(),
    ...(req.serverId !== undefined && { server_id: req.serverId }),
    ...(req.modelIntent !== undefined && { model_intent: req.modelIntent }),
    ...(res.input !== undefined && { approved_input: res.input }),
    ...(res.grantId !== undefined && { grant_id: res.grantId }),
    ...(row.decidedBy !== null && { decided_by: row.decidedBy }),
    ...(row.decidedAt !== null && { decided_at: row.decidedAt.toISOString() }),
  };
}

export function approvalJson(row: PendingRequestRow): Approval {
  const { type: _type, ...part } = approvalPartOf(row);
  return {
    ...part,
    chat_id: row.chatId,
    message_id: row.messageId,
    created_at: row.createdAt.toISOString(),
  };
}

/** What the model reads for a call that did not run for want of a yes. */
export function declinedText(row: PendingRequestRow): string {
  if (row.state === "expired") return EXPIRED_TEXT;
  if (responseOf(row).superseded) return SUPERSEDED_TEXT;
  if (responseOf(row).stopped) return STOPPED_TEXT;
  return DECLINED_TEXT;
}

/** The answers a continuing turn carries: for the history, the tools and the parts. */
export function carriedAnswers(rows: readonly PendingRequestRow[]) {
  const answers = new Map<string, CarriedAnswer>();
  const answered = new Map<string, AnsweredCall>();
  const declined = new Map<string, string>();
  for (const row of rows) {
    if (row.state === "pending") continue;
    const approved = row.state === "approved";
    const reason = declinedText(row);
    const input = responseOf(row).input;
    answers.set(row.toolCallId, {
      approvalId: row.id,
      approved,
      reason,
      ...(approved && input !== undefined && { input }),
    });
    answered.set(row.toolCallId, { approvalId: row.id, approved, decidedBy: row.decidedBy });
    if (!approved) declined.set(row.toolCallId, reason);
  }
  return { answers, answered, declined };
}

/**
 * Writes a request's current state into the stored message (its approval or elicitation part,
 * and for a call that will never run its tool part), so a reload shows what the live view shows.
 */
export async function syncApprovalParts(
  db: Executor,
  rows: readonly PendingRequestRow[],
): Promise<void> {
  const byMessage = new Map<string, PendingRequestRow[]>();
  for (const row of rows)
    byMessage.set(row.messageId, [...(byMessage.get(row.messageId) ?? []), row]);
  for (const [messageId, list] of byMessage) {
    const message = await findMessage(db, messageId);
    if (!message) continue;
    const parts = (message.parts as Part[]).map((part): Part => {
      if (part.type === "approval") {
        const row = list.find((r) => r.id === part.approval_id);
        return row ? approvalPartOf(row) : part;
      }
      if (part.type === "elicitation") {
        const row = list.find((r) => r.id === part.elicitation_id);
        return row ? elicitationPartOf(row) : part;
      }
      if (part.type === "tool" && part.state === "awaiting-approval") {
        const row = list.find((r) => r.toolCallId === part.tool_call_id);
        // A call no turn will carry any more (superseded) is settled here.
        if (row && row.state !== "pending" && row.resumedTurnId === row.turnId) {
          return { ...part, state: "denied", is_error: true, output: declinedText(row) };
        }
      }
      return part;
    });
    await updateMessage(db, messageId, { parts });
  }
}
