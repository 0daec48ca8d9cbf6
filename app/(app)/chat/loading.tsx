import { ConversationSkeleton } from "@/components/chat/conversation-skeleton";

// Inside the chat layout, so the history sidebar stays while a chat loads.
export default function Loading() {
  return <ConversationSkeleton />;
}
