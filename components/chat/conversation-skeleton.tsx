import { Skeleton } from "@/components/ui/skeleton";

// Its own module: the chat route's loading state must not pull in the conversation (the AI
// SDK's client, its stream schemas) before a chat is opened.
export function ConversationSkeleton() {
  return (
    <div
      role="status"
      className="mx-auto flex w-full max-w-3xl flex-1 flex-col gap-6 px-4 py-6"
      aria-busy="true"
      aria-label="Loading chat"
    >
      <Skeleton className="ml-auto h-10 w-2/3 rounded-2xl" />
      <Skeleton className="h-24 w-full" />
      <Skeleton className="ml-auto h-10 w-1/2 rounded-2xl" />
      <div className="flex-1" />
      <Skeleton className="h-24 w-full rounded-2xl" />
    </div>
  );
}
