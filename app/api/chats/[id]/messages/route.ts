import { idParams, route } from "@/lib/api/route";
import { getOwnChat } from "@/lib/chat/service";
import { startTurnResponse } from "@/lib/chat/turn-response";
import { postMessageBody } from "@/lib/schemas/chats";

export const POST = route({
  access: "user",
  params: idParams,
  body: postMessageBody,
  async handler({ db, caller, params, body, req }) {
    const chat = await getOwnChat(db, caller, params.id);
    return startTurnResponse(db, caller, req, chat, {
      content: body.content,
      planMode: body.plan_mode,
      mcpServerIds: body.mcp_server_ids,
    });
  },
});
