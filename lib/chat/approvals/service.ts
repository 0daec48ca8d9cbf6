import "server-only";
// The person's side of a paused turn: list a chat's approvals, answer one (approve with the
// arguments as given or edited, or deny; optionally allow the tool in the chat for an hour),
// and list or revoke the chat's grants. Answering commits the decision, its audit row and any
// grant together, then starts the turn that carries the answer (docs/paused-turns.md).
import type { Database } from "@/db/client";
import { recordAudit } from "@/db/queries/audit";
import type { ChatRow } from "@/db/queries/chats";
import { decideRequest, listChatRequests, lockChatRequest } from "@/db/queries/pending-requests";
import { insertToolAudit } from "@/db/queries/tool-audit";
import {
  findChatGrant,
  insertGrant,
  listChatGrants,
  revokeGrant,
  type ToolGrantRow,
} from "@/db/queries/tool-grants";
import type { Caller } from "@/lib/auth/caller";
import type { Approval, ToolGrant } from "@/lib/chat/wire";
import { ApiError, Errors } from "@/lib/errors";
import { checkToolArguments } from "@/lib/mcp/input-validation";
import { resumeAfterAnswer, resumeAnswered } from "../turn-runner";
import { approvalAuditRow, expireDue } from "./decide";
import { approvalJson, requestOf, syncApprovalParts, type ApprovalResponse } from "./store";

export const GRANT_MS = 60 * 60 * 1000;

/** Expires what is due in the chat (lazily, on every read and answer) and resumes it. */
async function expireChat(db: Database, chatId: string): Promise<void> {
  const expired = await expireDue(db, chatId);
  if (expired.length > 0) await resumeAnswered(db, chatId);
}

export async function listApprovals(db: Database, chat: ChatRow): Promise<Approval[]> {
  await expireChat(db, chat.id);
  return (await listChatRequests(db, chat.id, "approval")).map(approvalJson);
}

export interface ApprovalAnswer {
  decision: "approve" | "deny";
  input?: Record<string, unknown> | undefined;
  remember?: "once" | "chat_1h" | undefined;
}

const approvalNotFound = () => Errors.notFound("approval", "approval");

export async function answerApproval(
  db: Database,
  caller: Caller,
  chat: ChatRow,
  approvalId: string,
  answer: ApprovalAnswer,
): Promise<Approval> {
  await expireChat(db, chat.id);
  const decided = await db.transaction(async (tx) => {
    const row = await lockChatRequest(tx, chat.id, approvalId);
    if (!row || row.kind !== "approval") throw approvalNotFound();
    if (row.state !== "pending") {
      throw new ApiError(
        409,
        "approval.already_decided",
        `This approval was already answered (${row.state}).`,
      );
    }
    const req = requestOf(row);
    const approve = answer.decision === "approve";
    if (approve && answer.input !== undefined) {
      const checked = checkToolArguments(req.inputSchema, answer.input);
      if (!checked.ok) {
        throw new ApiError(
          400,
          "approval.invalid_input",
          "The arguments do not fit the tool's input schema.",
          checked.problems.map((detail) => ({ field: "input", detail })),
        );
      }
    }
    let grant: ToolGrantRow | undefined;
    if (approve && answer.remember === "chat_1h") {
      grant = await insertGrant(tx, {
        // The root chat's grant: it covers the chat's sub-agents too.
        chatId: chat.parentChatId ?? chat.id,
        source: req.source,
        serverId: req.serverId ?? null,
        toolName: req.toolName,
        exposedName: req.name,
        approvalId: row.id,
        createdBy: caller.id,
        expiresAt: new Date(Date.now() + GRANT_MS),
      });
      await recordAudit(tx, {
        actorId: caller.id,
        action: "tool_grant.create",
        targetType: "tool_grant",
        targetId: grant.id,
        detail: { chat_id: grant.chatId, tool: req.toolName, server_id: req.serverId ?? null },
      });
    }
    const response: ApprovalResponse = {
      ...(approve && answer.input !== undefined && { input: answer.input }),
      remember: answer.remember ?? "once",
      ...(grant && { grantId: grant.id }),
    };
    const updated = await decideRequest(tx, row.id, {
      state: approve ? "approved" : "denied",
      decidedBy: caller.id,
      response: response as Record<string, unknown>,
    });
    if (!updated) throw new ApiError(409, "approval.already_decided", "Already answered.");
    await insertToolAudit(
      tx,
      approvalAuditRow(updated, approve ? "approved" : "declined", approve ? null : "person"),
    );
    await syncApprovalParts(tx, [updated]);
    return updated;
  });
  // The turn that carries the answer, once every question of the message is answered. It
  // exists (as a running turn row) before this returns, so the caller can follow its stream.
  await resumeAfterAnswer(db, chat.id, decided.turnId);
  return approvalJson(decided);
}

export function grantJson(row: ToolGrantRow, now = Date.now()): ToolGrant {
  return {
    id: row.id,
    chat_id: row.chatId,
    source: row.source,
    tool_name: row.toolName,
    name: row.exposedName,
    created_at: row.createdAt.toISOString(),
    expires_at: row.expiresAt.toISOString(),
    active: row.revokedAt === null && row.expiresAt.getTime() > now,
    ...(row.serverId !== null && { server_id: row.serverId }),
    ...(row.approvalId !== null && { approval_id: row.approvalId }),
    ...(row.createdBy !== null && { created_by: row.createdBy }),
    ...(row.revokedAt !== null && { revoked_at: row.revokedAt.toISOString() }),
  };
}

/** Grants are kept on the root chat; a sub-agent's chat shows its root's. */
export async function listGrants(
  db: Database,
  chat: ChatRow,
  includeInactive: boolean,
): Promise<ToolGrant[]> {
  const rows = await listChatGrants(db, chat.parentChatId ?? chat.id, !includeInactive);
  return rows.map((r) => grantJson(r));
}

export async function revokeChatGrant(
  db: Database,
  caller: Caller,
  chat: ChatRow,
  grantId: string,
): Promise<void> {
  await db.transaction(async (tx) => {
    const grant = await findChatGrant(tx, chat.parentChatId ?? chat.id, grantId);
    if (!grant) throw Errors.notFound("grant", "grant");
    const revoked = await revokeGrant(tx, grant.id, caller.id);
    // Revoking a revoked grant changes nothing and is not an error (DELETE is idempotent).
    if (!revoked) return;
    await recordAudit(tx, {
      actorId: caller.id,
      action: "tool_grant.revoke",
      targetType: "tool_grant",
      targetId: grant.id,
      detail: { chat_id: grant.chatId, tool: grant.toolName, server_id: grant.serverId },
    });
  });
}
