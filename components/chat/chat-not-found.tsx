import { SearchXIcon } from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { ChatHistorySheet } from "./chat-history";

/** Where a chat would be, with the history button on small screens (no sidebar there). */
export function ChatPlaceholder({ children }: { children: ReactNode }) {
  return (
    <div className="flex flex-1 flex-col">
      <div className="flex items-center border-b px-4 py-2 lg:hidden">
        <ChatHistorySheet />
      </div>
      <div className="mx-auto flex w-full max-w-3xl flex-1 items-center px-4">{children}</div>
    </div>
  );
}

/** A chat that does not exist or is someone else's: the API says 404 for both. */
export function ChatNotFound() {
  return (
    <ChatPlaceholder>
      <EmptyState
        className="w-full"
        icon={<SearchXIcon />}
        titleAs="h1"
        title="Chat not found"
        description="It may have been deleted, or it belongs to someone else."
        action={
          <Button asChild>
            <Link href="/chat">Start a new chat</Link>
          </Button>
        }
      />
    </ChatPlaceholder>
  );
}
