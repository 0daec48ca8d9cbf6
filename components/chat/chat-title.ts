import type { Chat } from "@/lib/client/types";

export const chatTitle = (chat: Pick<Chat, "title">) => chat.title.trim() || "New chat";
