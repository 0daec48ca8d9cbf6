import { listChildChats } from "@/db/queries/chats";
import { idParams, json, route } from "@/lib/api/route";
import { chatJson, getOwnChat } from "@/lib/chat/service";

/** The sub-agent chats of a chat, oldest first (GET /api/chats lists root chats only). */
export const GET = route({
  access: "user",
  params: idParams,
  async handler({ db, caller, params }) {
    const chat = await getOwnChat(db, caller, params.id);
    return json((await listChildChats(db, caller.id, chat.id)).map(chatJson));
  },
});
