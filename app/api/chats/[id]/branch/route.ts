import { idParams, json, route } from "@/lib/api/route";
import { chatWithBranches, selectBranch } from "@/lib/chat/branches";
import { getOwnChat } from "@/lib/chat/service";
import { selectBranchBody } from "@/lib/schemas/chats";

/** Shows the branch through a message (docs/chat-branches.md) → the chat as GET returns it. */
export const POST = route({
  access: "user",
  params: idParams,
  body: selectBranchBody,
  async handler({ db, caller, params, body }) {
    const chat = await getOwnChat(db, caller, params.id);
    await selectBranch(db, chat, caller.id, body.message_id);
    return json(await chatWithBranches(db, await getOwnChat(db, caller, chat.id)));
  },
});
