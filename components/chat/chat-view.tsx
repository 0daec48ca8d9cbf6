"use client";

import { useQuery } from "@tanstack/react-query";
import { SearchXIcon } from "lucide-react";
import Link from "next/link";
import { useEffect, useState } from "react";
import { ErrorView } from "@/components/error-view";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { ApiRequestError, errorMessage } from "@/lib/client/api";
import { chatQuery } from "@/lib/client/chat-queries";
import { ChatHistorySheet } from "./chat-history";
import { Conversation } from "./conversation";
import { ConversationSkeleton } from "./conversation-skeleton";
import { preloadMarkdown } from "./markdown";
import { peekPendingTurn } from "./pending-turn";

/** `/chat/<id>`: loads the chat fresh (its messages seed the conversation once), then shows it. */
export function ChatView({ chatId }: { chatId: string }) {
  // Captured once: a chat just created from the new-chat screen is already in the cache with
  // no messages, and its first message is waiting to be sent.
  const [pending] = useState(() => peekPendingTurn(chatId));
  const chat = useQuery({ ...chatQuery(chatId), staleTime: pending ? Infinity : 0 });
  // Fetch the renderer alongside the chat, so the first messages show formatted.
  useEffect(preloadMarkdown, []);

  if (chat.isError && !chat.data) {
    const notFound = chat.error instanceof ApiRequestError && chat.error.status === 404;
    return (
      <div className="flex flex-1 flex-col">
        <div className="flex items-center border-b px-4 py-2 lg:hidden">
          <ChatHistorySheet />
        </div>
        <div className="mx-auto flex w-full max-w-3xl flex-1 items-center px-4">
          {notFound ? (
            <EmptyState
              className="w-full"
              icon={<SearchXIcon />}
              title="Chat not found"
              description="It may have been deleted, or it belongs to someone else."
              action={
                <Button asChild>
                  <Link href="/chat">Start a new chat</Link>
                </Button>
              }
            />
          ) : (
            <ErrorView message={errorMessage(chat.error)} onRetry={() => void chat.refetch()} />
          )}
        </div>
      </div>
    );
  }
  // Wait for this visit's fetch: cached messages may miss a turn that ended meanwhile.
  if (!chat.data || (!pending && !chat.isFetchedAfterMount)) return <ConversationSkeleton />;
  return <Conversation key={chatId} chat={chat.data} pending={pending} />;
}
