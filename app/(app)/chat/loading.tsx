import { ConversationSkeleton } from "@/components/chat/chat-view";

// Inside the chat layout, so the history sidebar stays while a chat loads.
export default function Loading() {
  return <ConversationSkeleton />;
}
