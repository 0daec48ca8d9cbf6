import type { Metadata } from "next";
import { ChatView } from "@/components/chat/chat-view";

export const metadata: Metadata = { title: "Chat" };

export default async function ChatPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  // Keyed by id: each chat gets its own conversation state and stream.
  return <ChatView key={id} chatId={id} />;
}
