import { apiFetch } from "./api";
import { chatPath } from "./chat-queries";
import type { Approval, ToolGrant } from "./types";

export const approvalQueryKeys = {
  grants: (chatId: string) => ["chats", "grants", chatId] as const,
};

export interface ApprovalAnswerInput {
  decision: "approve" | "deny";
  input?: Record<string, unknown>;
  remember?: "once" | "chat_1h";
}

export function answerApproval(chatId: string, approvalId: string, body: ApprovalAnswerInput) {
  return apiFetch<Approval>(`${chatPath(chatId)}/approvals/${encodeURIComponent(approvalId)}`, {
    method: "POST",
    body,
  });
}

/** The chat's grants in force. */
export const chatGrantsQuery = (chatId: string) => ({
  queryKey: approvalQueryKeys.grants(chatId),
  queryFn: ({ signal }: { signal: AbortSignal }) =>
    apiFetch<ToolGrant[]>(`${chatPath(chatId)}/grants`, { signal }),
});

export function revokeGrant(chatId: string, grantId: string) {
  return apiFetch<void>(`${chatPath(chatId)}/grants/${encodeURIComponent(grantId)}`, {
    method: "DELETE",
  });
}
