import type { ReactNode } from "react";
import { ChatLayout } from "@/components/chat/chat-layout";
import { requirePageCaller } from "@/lib/auth/page";
import { CHATS_PAGE_SIZE, chatQueryKeys } from "@/lib/client/chat-queries";
import { getDb } from "@/lib/server/database";
import { chatListData, orClientFetch } from "@/lib/server/page-data";
import { Prefetched } from "../prefetched";

export default async function Layout({ children }: { children: ReactNode }) {
  const caller = await requirePageCaller();
  const page = await orClientFetch(chatListData(await getDb(), caller, CHATS_PAGE_SIZE));
  // The history sidebar's first page, in the shape its infinite query keeps.
  const list = page && { pages: [page], pageParams: [null] };
  return (
    <Prefetched seeds={[{ key: chatQueryKeys.list, data: list }]}>
      <ChatLayout>{children}</ChatLayout>
    </Prefetched>
  );
}
