import type { Metadata } from "next";
import { NewChatView } from "@/components/chat/new-chat-view";
import { requirePageCaller } from "@/lib/auth/page";
import { chatQueryKeys } from "@/lib/client/chat-queries";
import { mcpQueryKeys } from "@/lib/client/mcp-queries";
import { queryKeys } from "@/lib/client/queries";
import { getDb } from "@/lib/server/database";
import { mcpServersData, meData, modelsData, orClientFetch } from "@/lib/server/page-data";
import { Prefetched } from "../prefetched";

export const metadata: Metadata = { title: "Chat" };

export default async function NewChatPage() {
  const caller = await requirePageCaller();
  const db = await getDb();
  const [servers, models] = await Promise.all([
    orClientFetch(mcpServersData(db, caller)),
    orClientFetch(modelsData(db)),
  ]);
  return (
    <Prefetched
      seeds={[
        { key: mcpQueryKeys.list, data: servers },
        { key: chatQueryKeys.models, data: models },
        { key: queryKeys.me, data: meData(caller) },
      ]}
    >
      <NewChatView />
    </Prefetched>
  );
}
