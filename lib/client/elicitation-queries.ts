import { apiFetch } from "./api";
import { chatPath } from "./chat-queries";
import type { Elicitation } from "./types";

export interface ElicitationAnswerInput {
  action: "accept" | "decline" | "cancel";
  content?: Record<string, unknown>;
}

/** Answers an MCP server's question; the tool call waiting for it goes on. */
export function answerElicitation(
  chatId: string,
  elicitationId: string,
  body: ElicitationAnswerInput,
) {
  return apiFetch<Elicitation>(
    `${chatPath(chatId)}/elicitations/${encodeURIComponent(elicitationId)}`,
    { method: "POST", body },
  );
}
