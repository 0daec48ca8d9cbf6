// A server that is down skips every turn, and each turn stores the same notice. The chat shows
// each distinct notice once (where it first happened) and the server picker carries the
// current state as a chip on the server, from the latest answer's notices.
import type { ChatNotice, ChatUIMessage } from "./message-convert";

const noticeKey = (n: ChatNotice) => `${n.code}\u0000${n.server_id ?? ""}\u0000${n.detail.trim()}`;

/** `<message id>:<part index>` of every notice that repeats one an earlier message showed. */
export function repeatedNotices(messages: readonly ChatUIMessage[]): Set<string> {
  const seen = new Set<string>();
  const repeats = new Set<string>();
  for (const message of messages) {
    message.parts.forEach((part, i) => {
      if (part.type !== "data-notice") return;
      const key = noticeKey(part.data);
      if (seen.has(key)) repeats.add(`${message.id}:${i}`);
      else seen.add(key);
    });
  }
  return repeats;
}

/** The server problems of the latest answer, by server id: what the picker's chips show. */
export function serverIssues(messages: readonly ChatUIMessage[]): Map<string, ChatNotice> {
  const issues = new Map<string, ChatNotice>();
  const last = messages.findLast((m) => m.role === "assistant");
  for (const part of last?.parts ?? []) {
    if (part.type !== "data-notice" || !part.data.server_id) continue;
    if (part.data.code.startsWith("mcp.") || part.data.code.startsWith("egress.")) {
      issues.set(part.data.server_id, part.data);
    }
  }
  return issues;
}
