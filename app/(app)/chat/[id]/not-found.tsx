import { ChatNotFound } from "@/components/chat/chat-not-found";

// The page answers 404 for a chat the caller cannot open; the history sidebar stays.
export default function NotFound() {
  return <ChatNotFound />;
}
