import type { InfiniteData, QueryClient } from "@tanstack/react-query";
import { apiFetch } from "./api";
import type { Chat, ChatSearchHit, ChatToolRow, ChatWithMessages, ModelOption } from "./types";

// Query keys live here so the sidebar, the conversation and the composer invalidate the same
// entries.
export const chatQueryKeys = {
  all: ["chats"] as const,
  list: ["chats", "list"] as const,
  search: (q: string) => ["chats", "search", q] as const,
  detail: (id: string) => ["chats", "detail", id] as const,
  tools: (id: string, planMode: boolean) => ["chats", "tools", id, planMode] as const,
  children: (id: string) => ["chats", "children", id] as const,
  models: ["models"] as const,
};

export const CHATS_PAGE_SIZE = 30;

export interface ChatsPage {
  chats: Chat[];
  next_cursor: string | null;
}

export const chatPath = (id: string) => `/api/chats/${encodeURIComponent(id)}`;

/** The caller's chats, newest first, one cursor page at a time (for `useInfiniteQuery`). */
export const chatsInfiniteQuery = () => ({
  queryKey: chatQueryKeys.list,
  queryFn: ({ pageParam, signal }: { pageParam: string | null; signal: AbortSignal }) => {
    const params = new URLSearchParams({ limit: String(CHATS_PAGE_SIZE) });
    if (pageParam) params.set("cursor", pageParam);
    return apiFetch<ChatsPage>(`/api/chats?${params}`, { signal });
  },
  initialPageParam: null as string | null,
  getNextPageParam: (last: ChatsPage) => last.next_cursor,
});

export interface ChatSearchPage {
  chats: ChatSearchHit[];
  next_cursor: string | null;
}

/** Chats whose title or message text contains `q`, newest first, a page at a time. */
export const chatSearchQuery = (q: string) => ({
  queryKey: chatQueryKeys.search(q),
  queryFn: ({ pageParam, signal }: { pageParam: string | null; signal: AbortSignal }) => {
    const params = new URLSearchParams({ q, limit: String(CHATS_PAGE_SIZE) });
    if (pageParam) params.set("cursor", pageParam);
    return apiFetch<ChatSearchPage>(`/api/chats?${params}`, { signal });
  },
  initialPageParam: null as string | null,
  getNextPageParam: (last: ChatSearchPage) => last.next_cursor,
});

export const chatQuery = (id: string) => ({
  queryKey: chatQueryKeys.detail(id),
  queryFn: ({ signal }: { signal: AbortSignal }) =>
    apiFetch<ChatWithMessages>(chatPath(id), { signal }),
});

export const modelsQuery = () => ({
  queryKey: chatQueryKeys.models,
  queryFn: ({ signal }: { signal: AbortSignal }) =>
    apiFetch<ModelOption[]>("/api/models", { signal }),
});

export const chatToolsQuery = (id: string, planMode: boolean) => ({
  queryKey: chatQueryKeys.tools(id, planMode),
  queryFn: ({ signal }: { signal: AbortSignal }) =>
    apiFetch<ChatToolRow[]>(`${chatPath(id)}/tools?plan_mode=${planMode}`, { signal }),
});

/** The sub-agent chats a chat's turns spawned (GET /api/chats/:id/children). */
export const chatChildrenQuery = (id: string) => ({
  queryKey: chatQueryKeys.children(id),
  queryFn: ({ signal }: { signal: AbortSignal }) =>
    apiFetch<Chat[]>(`${chatPath(id)}/children`, { signal }),
});

export interface CreateChatInput {
  title?: string;
  model?: string;
  /** Absent: the server preselects the enabled default_on servers. */
  mcp_server_ids?: string[];
}

export interface UpdateChatInput {
  title?: string;
  model?: string | null;
  mcp_server_ids?: string[];
}

/** Puts a changed chat into the open conversation and every loaded sidebar page. */
export function storeChat(qc: QueryClient, chat: Chat) {
  qc.setQueryData<ChatWithMessages>(chatQueryKeys.detail(chat.id), (old) =>
    old ? { ...old, ...chat } : old,
  );
  qc.setQueryData<InfiniteData<ChatsPage>>(chatQueryKeys.list, (old) =>
    old
      ? {
          ...old,
          pages: old.pages.map((p) => ({
            ...p,
            chats: p.chats.map((c) => (c.id === chat.id ? chat : c)),
          })),
        }
      : old,
  );
}

export const createChatMutation = (qc: QueryClient) => ({
  mutationFn: (input: CreateChatInput) => apiFetch<Chat>("/api/chats", { body: input }),
  onSuccess: (chat: Chat) => {
    // The conversation opens from the cache without a round trip: a new chat has no messages.
    qc.setQueryData<ChatWithMessages>(chatQueryKeys.detail(chat.id), { ...chat, messages: [] });
    return qc.invalidateQueries({ queryKey: chatQueryKeys.list });
  },
});

export const updateChatMutation = (qc: QueryClient) => ({
  mutationFn: ({ id, patch }: { id: string; patch: UpdateChatInput }) =>
    apiFetch<Chat>(chatPath(id), { method: "PATCH", body: patch }),
  onSuccess: (chat: Chat) => storeChat(qc, chat),
});

export const deleteChatMutation = (qc: QueryClient) => ({
  mutationFn: (id: string) => apiFetch<void>(chatPath(id), { method: "DELETE" }),
  onSuccess: (_: void, id: string) => {
    qc.removeQueries({ queryKey: chatQueryKeys.detail(id), type: "inactive" });
    return qc.invalidateQueries({ queryKey: chatQueryKeys.list });
  },
});

/** Shows the branch through a message (docs/chat-branches.md); answers the chat as GET does. */
export const selectBranchMutation = (qc: QueryClient) => ({
  mutationFn: ({ chatId, messageId }: { chatId: string; messageId: string }) =>
    apiFetch<ChatWithMessages>(`${chatPath(chatId)}/branch`, {
      body: { message_id: messageId },
    }),
  onSuccess: (chat: ChatWithMessages) => {
    qc.setQueryData(chatQueryKeys.detail(chat.id), chat);
  },
});

/** Stops the running turn on the server; the partial answer is kept as "cancelled". */
export const cancelChatTurnMutation = () => ({
  mutationFn: (id: string) => apiFetch<void>(`${chatPath(id)}/cancel`, { method: "POST" }),
});
