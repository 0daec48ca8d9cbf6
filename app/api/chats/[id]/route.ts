import { idParams, json, noContent, route } from "@/lib/api/route";
import { chatWithBranches } from "@/lib/chat/branches";
import { chatJson, getOwnChat, patchChat, removeChat } from "@/lib/chat/service";
import { updateChatBody } from "@/lib/schemas/chats";

export const GET = route({
  access: "user",
  params: idParams,
  async handler({ db, caller, params }) {
    return json(await chatWithBranches(db, await getOwnChat(db, caller, params.id)));
  },
});

export const PATCH = route({
  access: "user",
  params: idParams,
  body: updateChatBody,
  async handler({ db, caller, params, body }) {
    return json(chatJson(await patchChat(db, await getOwnChat(db, caller, params.id), body)));
  },
});

export const DELETE = route({
  access: "user",
  params: idParams,
  async handler({ db, caller, params }) {
    await removeChat(db, caller, await getOwnChat(db, caller, params.id));
    return noContent();
  },
});
