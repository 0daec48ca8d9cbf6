import { json, route } from "@/lib/api/route";
import { chatJson, createChat, listChats } from "@/lib/chat/service";
import { createChatBody, listChatsQuery } from "@/lib/schemas/chats";

export const GET = route({
  access: "user",
  query: listChatsQuery,
  async handler({ db, caller, query }) {
    return json(await listChats(db, caller, query));
  },
});

export const POST = route({
  access: "user",
  body: createChatBody,
  async handler({ db, caller, body }) {
    return json(chatJson(await createChat(db, caller, body)), 201);
  },
});
