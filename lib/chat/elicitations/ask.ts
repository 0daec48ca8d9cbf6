import "server-only";
// Asking the chat's owner on behalf of an MCP server, from inside the server's open tool call:
// the question is stored (pending_requests, kind `elicitation`), streamed as the contract's
// part, the chat set `waiting`, and the call waits for the answer in the database (woken at once
// on this instance, by polling from any other), at most APPROVAL_TIMEOUT_S. The answer goes back
// to the server as the call's elicitation result. See docs/paused-turns.md.
import type { Database } from "@/db/client";
import { setChatStatus } from "@/db/queries/chats";
import { loggableError } from "@/db/queries/errors";
import { findMcpServer } from "@/db/queries/mcp-servers";
import type { PendingRequestRow } from "@/db/queries/pending-requests";
import { getEnv } from "@/lib/env";
import type { ElicitationPart } from "@/lib/chat/wire";
import type {
  ElicitationAsk,
  ElicitationReply,
  ElicitationSink,
} from "@/lib/mcp/elicitation-scope";
import { expireDue } from "../approvals/decide";
import type { ElicitingCall } from "../approvals/loop";
import type { Notice } from "../mcp-notices";
import { notifyWaiters, waitForWake } from "../stream-bus";
import {
  closeElicitation,
  elicitationPartOf,
  elicitationResponseOf,
  findElicitation,
  storeElicitation,
  type ElicitationRequest,
} from "./store";

const POLL_MS = 1_000;

export const ELICITATION_PLAN_MODE_DECLINED = "elicitation.plan_mode_declined";

/** The turn a question belongs to, as the loop hands it over. */
export interface ElicitingTurn {
  db: Database;
  chatId: string;
  ownerId: string;
  turnId: string;
  messageId: string;
  planMode: boolean;
  /** Streams (and folds into the stored parts) the elicitation part, or a notice. */
  emitPart(part: ElicitationPart): void;
  notice(notice: Notice): void;
  /** Stores the message's parts now, so a reload shows the question while it waits. */
  persist(): Promise<void>;
  /** The turn's own signal: stopping the turn cancels the question. */
  signal: AbortSignal;
}

export const waitKey = (id: string) => `elicitation:${id}`;

/** Wakes the call waiting on this question, when it waits on this instance. */
export function wakeElicitation(id: string): void {
  notifyWaiters(waitKey(id));
}

function replyOf(row: PendingRequestRow): ElicitationReply {
  if (row.state === "accepted") {
    const content = elicitationResponseOf(row).content;
    return { action: "accept", ...(content !== undefined && { content }) };
  }
  return { action: row.state === "declined" ? "decline" : "cancel" };
}

/** Waits for the row to leave `pending`; cancels it when the call or the turn ends first. */
async function waitForAnswer(
  db: Database,
  row: PendingRequestRow,
  signal: AbortSignal,
): Promise<PendingRequestRow> {
  for (;;) {
    const current = await findElicitation(db, row.id);
    if (!current) return { ...row, state: "cancelled" };
    if (current.state !== "pending") return current;
    if (signal.aborted) {
      const closed = await closeElicitation(db, row.id, "cancelled", "call_ended");
      if (closed) return closed;
      continue;
    }
    const left = current.expiresAt.getTime() - Date.now();
    if (left <= 0) {
      // Claimed by exactly one instance (this one, or the sweep elsewhere).
      await expireDue(db, current.chatId);
      continue;
    }
    await waitForWake(waitKey(row.id), Math.min(POLL_MS, left), signal);
  }
}

async function serverFacts(db: Database, call: ElicitingCall) {
  if (call.serverId === undefined) {
    return { name: call.serverSlug ?? "a workspace server", allowInPlanMode: false };
  }
  const server = await findMcpServer(db, call.serverId);
  return {
    name: server?.displayName ?? call.serverSlug ?? "an MCP server",
    allowInPlanMode: server?.allowInPlanMode ?? false,
  };
}

/** The sink that asks the turn's person for one tool call's server. */
export function elicitationSink(turn: ElicitingTurn, call: ElicitingCall): ElicitationSink {
  return async (ask: ElicitationAsk, serverSignal: AbortSignal): Promise<ElicitationReply> => {
    const { db } = turn;
    const server = await serverFacts(db, call);
    const request: ElicitationRequest = {
      toolCallId: call.toolCallId,
      serverName: server.name,
      mode: ask.mode,
      message: ask.message,
      planMode: turn.planMode,
      ...(call.serverId !== undefined && { serverId: call.serverId }),
      ...(ask.mode === "form"
        ? { requestedSchema: ask.requestedSchema }
        : { url: ask.url, elicitationId: ask.elicitationId }),
    };
    const base = {
      chatId: turn.chatId,
      ownerId: turn.ownerId,
      turnId: turn.turnId,
      messageId: turn.messageId,
      request,
    };
    if (turn.planMode && !server.allowInPlanMode) {
      // Only servers admitted in plan mode may ask during a plan-mode turn: declined at once,
      // kept as a settled card and a notice.
      const row = await storeElicitation(db, {
        ...base,
        expiresAt: new Date(),
        decided: { state: "declined", response: { action: "decline", reason: "plan_mode" } },
      });
      turn.emitPart(elicitationPartOf(row));
      turn.notice({
        code: ELICITATION_PLAN_MODE_DECLINED,
        detail: `${server.name} asked for input during a plan-mode turn; it is not admitted in plan mode, so the request was declined.`,
        ...(call.serverId !== undefined && { server_id: call.serverId }),
      });
      return { action: "decline" };
    }
    const row = await storeElicitation(db, {
      ...base,
      expiresAt: new Date(Date.now() + getEnv().APPROVAL_TIMEOUT_S * 1000),
    });
    turn.emitPart(elicitationPartOf(row));
    await setChatStatus(db, turn.chatId, "waiting");
    await turn.persist().catch((err: unknown) => {
      console.error(`[turn ${turn.turnId}] could not store the question:`, loggableError(err));
    });
    const answered = await waitForAnswer(db, row, AbortSignal.any([serverSignal, turn.signal]));
    turn.emitPart(elicitationPartOf(answered));
    if (!turn.signal.aborted) await setChatStatus(db, turn.chatId, "running");
    return replyOf(answered);
  };
}

/** A sub-agent runs unseen and cannot ask anybody: its servers' questions are declined. */
export const declineAll: ElicitationSink = async () => ({ action: "decline" });
