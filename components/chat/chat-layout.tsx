import type { ReactNode } from "react";
import { ChatHistory } from "./chat-history";

/**
 * The chat area fills the app shell's main region edge to edge (undoing its padding) and the
 * viewport height, so only the message list scrolls. 3.3125rem is the shell's mobile header.
 */
export function ChatLayout({ children }: { children: ReactNode }) {
  return (
    <div className="-m-4 flex h-[calc(100svh-3.3125rem)] min-h-0 md:-m-8 md:h-svh">
      <aside className="hidden w-64 shrink-0 flex-col border-r bg-sidebar/40 p-3 lg:flex">
        <ChatHistory />
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">{children}</div>
    </div>
  );
}
