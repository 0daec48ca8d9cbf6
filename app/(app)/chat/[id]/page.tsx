import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ChatView } from "@/components/chat/chat-view";
import { requirePageCaller } from "@/lib/auth/page";
import { chatQueryKeys } from "@/lib/client/chat-queries";
import { mcpQueryKeys } from "@/lib/client/mcp-queries";
import { queryKeys } from "@/lib/client/queries";
import { getDb } from "@/lib/server/database";
import {
  chatData,
  mcpServersData,
  meData,
  modelsData,
  orClientFetch,
} from "@/lib/server/page-data";
import { Prefetched } from "../../prefetched";

export const metadata: Metadata = { title: "Chat" };

/** The chat as GET /api/chats/:id answers its owner, and what the conversation shows beside it. */
async function load(id: string) {
  const caller = await requirePageCaller();
  const db = await getDb();
  const readAt = Date.now();
  const [chat, servers, models] = await Promise.all([
    orClientFetch(chatData(db, caller, id)),
    orClientFetch(mcpServersData(db, caller)),
    orClientFetch(modelsData(db)),
  ]);
  return { caller, readAt, chat, servers, models };
}

export default async function ChatPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { caller, readAt, chat, servers, models } = await load(id);
  // Someone else's chat, a deleted one or a malformed id: 404, as the route answers.
  if (chat === null) notFound();
  return (
    <Prefetched
      seeds={[
        { key: chatQueryKeys.detail(id), data: chat, updatedAt: readAt },
        { key: mcpQueryKeys.list, data: servers },
        { key: chatQueryKeys.models, data: models },
        { key: queryKeys.me, data: meData(caller) },
      ]}
    >
      {/* Keyed by id: each chat gets its own conversation state and stream. */}
      <ChatView key={id} chatId={id} {...(chat && { readAt })} />
    </Prefetched>
  );
}
