// Searching the chat history in the sidebar. The API has no search parameter, so this filters
// the chats already loaded (the sidebar says so when more pages exist).
import type { Chat } from "@/lib/client/types";
import { chatTitle } from "./chat-title";

/** Lower case without accents, so "cafe" finds "Café". */
const fold = (s: string) => s.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();

/** Chats whose title contains every word of the query, in their original order. */
export function filterChats<T extends Pick<Chat, "title">>(
  chats: readonly T[],
  query: string,
): T[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...chats];
  return chats.filter((chat) => {
    const title = fold(chatTitle(chat));
    return words.every((w) => title.includes(w));
  });
}
