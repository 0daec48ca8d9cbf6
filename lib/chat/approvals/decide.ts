import "server-only";
// Decisions on pending approvals that no person makes: expiry after APPROVAL_TIMEOUT_S, and
// closing open requests when the person sends a new message instead of answering. Each writes
// the audit row in the same transaction that changes the request.
import type { Database, Executor } from "@/db/client";
import {
  closeOpenRequests,
  dropUnresumed,
  expireDueRequests,
  type PendingRequestRow,
} from "@/db/queries/pending-requests";
import { insertToolAudit } from "@/db/queries/tool-audit";
import type { ToolAuditDecision } from "@/db/schema-tool-calls";
import { cancelOrphanElicitations } from "../elicitations/store";
import { auditRow } from "../tool-audit";
import { requestOf, responseOf, syncApprovalParts } from "./store";

/** The audit row of an answered (or expired) approval; its id is the approval's id. */
export function approvalAuditRow(
  row: PendingRequestRow,
  decision: ToolAuditDecision,
  reason: string | null,
) {
  const req = requestOf(row);
  const edited = responseOf(row).input;
  const base = auditRow(
    {
      userId: row.ownerId,
      userEmail: req.userEmail,
      chatId: row.chatId,
      turnId: row.turnId,
      planMode: req.planMode,
      agent: req.agent,
    },
    {
      toolCallId: row.toolCallId,
      source: req.source,
      tool: req.toolName,
      input: edited ?? req.input,
      ...(req.serverId !== undefined && { serverId: req.serverId }),
      ...(req.serverSlug !== undefined && { serverSlug: req.serverSlug }),
      ...(req.definitionHash !== undefined && { definitionHash: req.definitionHash }),
      ...(req.modelIntent !== undefined && { modelIntent: req.modelIntent }),
    },
    { decision, decidedBy: row.decidedBy, reason },
    { outcome: "not_run" },
    row.id,
  );
  // Only the hash: edited or not, the arguments themselves are never stored.
  return edited === undefined ? { ...base, inputSha256: req.inputSha256 } : base;
}

/**
 * Expires the due approvals (of one chat, or all) and records each as declined by the clock.
 * Returns the expired rows; the caller resumes their chats.
 */
export async function expireDue(db: Database, chatId?: string): Promise<PendingRequestRow[]> {
  const expired = await db.transaction(async (tx) => {
    const rows = await expireDueRequests(tx, chatId ? { chatId } : {});
    for (const row of rows) {
      // An elicitation's call is audited by the call itself, which goes on with `cancel`.
      if (row.kind !== "approval") continue;
      await insertToolAudit(tx, approvalAuditRow(row, "expired", "approval_timeout"));
    }
    if (rows.length > 0) await syncApprovalParts(tx, rows);
    return rows;
  });
  return expired;
}

/**
 * The person sent a new message while calls waited: those calls are declined (by them) and
 * will never run; the new turn's history reads them as declined.
 */
export async function closeForNewMessage(
  tx: Executor,
  chatId: string,
  ownerId: string,
): Promise<void> {
  await closeWaiting(tx, chatId, ownerId, "superseded");
}

/**
 * The person stopped a chat that waited for their answers: the calls are declined (by them),
 * nothing resumes them, and the next message's history reads them as declined.
 */
export async function closeForStop(tx: Executor, chatId: string, ownerId: string): Promise<number> {
  return closeWaiting(tx, chatId, ownerId, "stopped");
}

async function closeWaiting(
  tx: Executor,
  chatId: string,
  ownerId: string,
  why: "superseded" | "stopped",
): Promise<number> {
  // Questions of a turn that no longer runs are cancelled as such, not declined as calls.
  const orphans = await cancelOrphanElicitations(tx, chatId);
  if (orphans.length > 0) await syncApprovalParts(tx, orphans);
  const rows = await closeOpenRequests(tx, chatId, ownerId, why);
  const reason = why === "stopped" ? "stopped_by_user" : "superseded_by_new_message";
  for (const row of rows) {
    if (row.kind !== "approval") continue;
    await insertToolAudit(tx, approvalAuditRow(row, "declined", reason));
  }
  const dropped = await dropUnresumed(tx, chatId);
  const all = [...rows.filter((r) => !dropped.some((d) => d.id === r.id)), ...dropped];
  if (all.length > 0) await syncApprovalParts(tx, all);
  return orphans.length + rows.length + dropped.length;
}
