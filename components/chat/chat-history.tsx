"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { HistoryIcon, MessagesSquareIcon, SearchIcon, SquarePenIcon } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Sheet, SheetContent, SheetTitle, SheetTrigger } from "@/components/ui/sheet";
import { Skeleton } from "@/components/ui/skeleton";
import { ButtonSpinner } from "@/components/ui/spinner";
import { errorMessage } from "@/lib/client/api";
import { chatsInfiniteQuery } from "@/lib/client/chat-queries";
import { ChatHistoryRow } from "./chat-history-row";
import { ChatSearchResults, useDebounced } from "./chat-search-results";

/** The chat id in `/chat/<id>`, for highlighting the open chat. */
export function activeChatId(pathname: string): string | undefined {
  const match = /^\/chat\/([^/]+)/.exec(pathname);
  return match ? decodeURIComponent(match[1]!) : undefined;
}

/** The user's chats, newest first, with a "New chat" button on top. */
export function ChatHistory({ onNavigate }: { onNavigate?: () => void }) {
  const chats = useInfiniteQuery(chatsInfiniteQuery());
  const activeId = activeChatId(usePathname());
  const list = chats.data?.pages.flatMap((p) => p.chats) ?? [];
  const [query, setQuery] = useState("");
  const searchId = useId();
  const searched = useDebounced(query.trim(), 250);
  const searching = searched !== "";

  return (
    <nav aria-label="Chat history" className="flex min-h-0 flex-1 flex-col gap-3">
      <Button asChild variant="outline" className="justify-start">
        <Link href="/chat" onClick={onNavigate}>
          <SquarePenIcon aria-hidden="true" />
          New chat
        </Link>
      </Button>
      {list.length > 0 || query ? (
        <div role="search" className="relative">
          <label htmlFor={searchId} className="sr-only">
            Search chats
          </label>
          <SearchIcon
            aria-hidden="true"
            className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-muted-foreground"
          />
          <Input
            id={searchId}
            type="search"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Escape" && query) {
                e.preventDefault();
                setQuery("");
              }
            }}
            placeholder="Search chats"
            autoComplete="off"
            className="h-8 pl-8"
          />
        </div>
      ) : null}
      <div className="-mx-1 flex min-h-0 flex-1 flex-col overflow-y-auto px-1">
        <h2 className="px-2 pb-1 text-xs font-medium tracking-wide text-muted-foreground uppercase">
          {searching ? "Search results" : "Chats"}
        </h2>
        {searching ? (
          <ChatSearchResults query={searched} activeId={activeId} onNavigate={onNavigate} />
        ) : chats.isPending ? (
          <div
            role="status"
            className="flex flex-col gap-1.5"
            aria-busy="true"
            aria-label="Loading chats"
          >
            {[0, 1, 2, 3, 4].map((i) => (
              <Skeleton key={i} className="h-8 w-full" />
            ))}
          </div>
        ) : chats.isError && list.length === 0 ? (
          <div role="alert" className="flex flex-col items-start gap-2 px-2 text-sm">
            <p className="text-muted-foreground">{errorMessage(chats.error)}</p>
            <Button variant="outline" size="sm" onClick={() => void chats.refetch()}>
              Try again
            </Button>
          </div>
        ) : list.length === 0 ? (
          <div className="flex flex-col items-center gap-2 px-2 py-8 text-center text-sm text-muted-foreground">
            <MessagesSquareIcon aria-hidden="true" className="size-6" />
            <p>No chats yet. Your conversations will show up here.</p>
          </div>
        ) : (
          <ul className="flex flex-col gap-0.5">
            {list.map((chat) => (
              <ChatHistoryRow
                key={chat.id}
                chat={chat}
                active={chat.id === activeId}
                onNavigate={onNavigate}
              />
            ))}
          </ul>
        )}
        {!searching && chats.hasNextPage ? (
          <Button
            variant="ghost"
            size="sm"
            className="mt-1 text-muted-foreground"
            disabled={chats.isFetchingNextPage}
            aria-busy={chats.isFetchingNextPage || undefined}
            onClick={() => void chats.fetchNextPage()}
          >
            {chats.isFetchingNextPage ? <ButtonSpinner /> : null}
            Load more
          </Button>
        ) : null}
      </div>
    </nav>
  );
}

/** Below the `lg` breakpoint the history lives in a slide-over opened from the chat header. */
export function ChatHistorySheet() {
  const [open, setOpen] = useState(false);
  return (
    <Sheet open={open} onOpenChange={setOpen}>
      <SheetTrigger asChild>
        <Button variant="ghost" size="icon" className="size-8 lg:hidden" aria-label="Chat history">
          <HistoryIcon />
        </Button>
      </SheetTrigger>
      <SheetContent side="left" className="flex w-72 flex-col gap-3 p-3 pt-12">
        <SheetTitle className="sr-only">Chat history</SheetTitle>
        <ChatHistory onNavigate={() => setOpen(false)} />
      </SheetContent>
    </Sheet>
  );
}
