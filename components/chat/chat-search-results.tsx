"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { SearchXIcon } from "lucide-react";
import Link from "next/link";
import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { ButtonSpinner } from "@/components/ui/spinner";
import { errorMessage } from "@/lib/client/api";
import { chatSearchQuery } from "@/lib/client/chat-queries";
import type { ChatSearchHit } from "@/lib/client/types";
import { cn } from "@/lib/utils";
import { highlightSegments } from "./chat-search";
import { chatTitle } from "./chat-title";

/** `value`, once it stopped changing for `ms`: one search per pause in typing, not per key. */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

function Highlighted({ text, query }: { text: string; query: string }) {
  return (
    <>
      {highlightSegments(text, query).map((s, i) =>
        s.match ? (
          <mark
            key={i}
            className="rounded-sm bg-amber-200 px-0.5 text-foreground dark:bg-amber-500/40"
          >
            {s.text}
          </mark>
        ) : (
          <span key={i}>{s.text}</span>
        ),
      )}
    </>
  );
}

function SearchResult({
  chat,
  query,
  active,
  onNavigate,
}: {
  chat: ChatSearchHit;
  query: string;
  active: boolean;
  onNavigate?: () => void;
}) {
  const title = chatTitle(chat);
  return (
    <li>
      <Link
        href={`/chat/${chat.id}`}
        onClick={onNavigate}
        aria-current={active ? "page" : undefined}
        className={cn(
          "flex flex-col gap-0.5 rounded-md px-2 py-1.5 text-sm outline-none hover:bg-accent focus-visible:ring-[3px] focus-visible:ring-ring/50",
          active && "bg-accent text-accent-foreground",
        )}
      >
        <span className="truncate font-medium">
          <Highlighted text={title} query={query} />
        </span>
        {chat.search.snippet ? (
          <span className="line-clamp-2 text-xs text-muted-foreground">
            <Highlighted text={chat.search.snippet} query={query} />
          </span>
        ) : null}
      </Link>
    </li>
  );
}

/** Chats found by title and message text on the server, with the matches marked. */
export function ChatSearchResults({
  query,
  activeId,
  onNavigate,
}: {
  query: string;
  activeId?: string;
  onNavigate?: () => void;
}) {
  const search = useInfiniteQuery(chatSearchQuery(query));
  const hits = search.data?.pages.flatMap((p) => p.chats) ?? [];
  if (search.isPending) {
    return (
      <div
        role="status"
        className="flex flex-col gap-1.5"
        aria-busy="true"
        aria-label="Searching chats"
      >
        {[0, 1, 2].map((i) => (
          <Skeleton key={i} className="h-10 w-full" />
        ))}
      </div>
    );
  }
  if (search.isError && hits.length === 0) {
    return (
      <div role="alert" className="flex flex-col items-start gap-2 px-2 text-sm">
        <p className="text-muted-foreground">{errorMessage(search.error)}</p>
        <Button variant="outline" size="sm" onClick={() => void search.refetch()}>
          Try again
        </Button>
      </div>
    );
  }
  if (hits.length === 0) {
    return (
      <div
        role="status"
        className="flex flex-col items-center gap-2 px-2 py-6 text-center text-sm text-muted-foreground"
      >
        <SearchXIcon aria-hidden="true" className="size-6" />
        <p>No chats mention “{query}”.</p>
      </div>
    );
  }
  return (
    <>
      <ul className="flex flex-col gap-0.5" aria-label="Search results">
        {hits.map((chat) => (
          <SearchResult
            key={chat.id}
            chat={chat}
            query={query}
            active={chat.id === activeId}
            onNavigate={onNavigate}
          />
        ))}
      </ul>
      {search.hasNextPage ? (
        <Button
          variant="ghost"
          size="sm"
          className="mt-1 text-muted-foreground"
          disabled={search.isFetchingNextPage}
          aria-busy={search.isFetchingNextPage || undefined}
          onClick={() => void search.fetchNextPage()}
        >
          {search.isFetchingNextPage ? <ButtonSpinner /> : null}
          More results
        </Button>
      ) : null}
    </>
  );
}
