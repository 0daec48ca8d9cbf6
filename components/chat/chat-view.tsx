"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { ErrorView } from "@/components/error-view";
import { ApiRequestError, errorMessage } from "@/lib/client/api";
import { chatQuery, chatQueryKeys } from "@/lib/client/chat-queries";
import { ChatNotFound, ChatPlaceholder } from "./chat-not-found";
import { Conversation } from "./conversation";
import { ConversationSkeleton } from "./conversation-skeleton";
import { preloadMarkdown } from "./markdown";
import { peekPendingTurn } from "./pending-turn";

/** How old the page's own server-read copy may be and still open the chat without a fetch. */
const PAGE_COPY_MS = 30_000;

/**
 * `/chat/<id>`: shows the chat as this visit read it (its messages seed the conversation once).
 * The page reads the chat on the server for this very render (`readAt`, hydrated into the
 * cache): then it opens at once. Any other copy in the cache may miss a turn that ended
 * meanwhile, so it is fetched again first.
 */
export function ChatView({ chatId, readAt }: { chatId: string; readAt?: number }) {
  const qc = useQueryClient();
  // Captured once: a chat just created from the new-chat screen is already in the cache with
  // no messages, and its first message is waiting to be sent.
  const [pending] = useState(() => peekPendingTurn(chatId));
  // A page restored from the browser's history carries an old read: fetched again too.
  const [servedFresh] = useState(
    () =>
      readAt !== undefined &&
      qc.getQueryState(chatQueryKeys.detail(chatId))?.dataUpdatedAt === readAt &&
      Date.now() - readAt < PAGE_COPY_MS,
  );
  const chat = useQuery({
    ...chatQuery(chatId),
    staleTime: pending ? Infinity : servedFresh ? PAGE_COPY_MS : 0,
  });
  // Fetch the renderer alongside the chat, so the first messages show formatted.
  useEffect(preloadMarkdown, []);

  if (chat.isError && !chat.data) {
    if (chat.error instanceof ApiRequestError && chat.error.status === 404) return <ChatNotFound />;
    return (
      <ChatPlaceholder>
        <ErrorView message={errorMessage(chat.error)} onRetry={() => void chat.refetch()} />
      </ChatPlaceholder>
    );
  }
  if (!chat.data || (!pending && !servedFresh && !chat.isFetchedAfterMount)) {
    return <ConversationSkeleton />;
  }
  return <Conversation key={chatId} chat={chat.data} pending={pending} />;
}
