import { route } from "@/lib/api/route";
import { editOrigin } from "@/lib/chat/branches";
import { getOwnChat } from "@/lib/chat/service";
import { startTurnResponse } from "@/lib/chat/turn-response";
import { editMessageBody, messageParams } from "@/lib/schemas/chats";

/** A new version of a question: a new branch beside the old one (docs/chat-branches.md). */
export const POST = route({
  access: "user",
  params: messageParams,
  body: editMessageBody,
  async handler({ db, caller, params, body, req }) {
    const chat = await getOwnChat(db, caller, params.id);
    return startTurnResponse(db, caller, req, chat, {
      content: body.content,
      planMode: body.plan_mode,
      mcpServerIds: body.mcp_server_ids,
      origin: await editOrigin(db, chat, params.message_id),
    });
  },
});
