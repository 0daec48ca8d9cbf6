import { route } from "@/lib/api/route";
import { regenerateOrigin } from "@/lib/chat/branches";
import { getOwnChat } from "@/lib/chat/service";
import { startTurnResponse } from "@/lib/chat/turn-response";
import { messageParams, regenerateMessageBody } from "@/lib/schemas/chats";

/** Another answer to the same question, kept beside the old one (docs/chat-branches.md). */
export const POST = route({
  access: "user",
  params: messageParams,
  body: regenerateMessageBody,
  async handler({ db, caller, params, body, req }) {
    const chat = await getOwnChat(db, caller, params.id);
    const { origin, planMode } = await regenerateOrigin(db, chat, params.message_id);
    return startTurnResponse(db, caller, req, chat, {
      content: "",
      planMode: body.plan_mode ?? planMode,
      mcpServerIds: body.mcp_server_ids,
      origin,
    });
  },
});
