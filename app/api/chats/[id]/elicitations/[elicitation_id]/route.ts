import { json, route } from "@/lib/api/route";
import { answerElicitation } from "@/lib/chat/elicitations/service";
import { getOwnChat } from "@/lib/chat/service";
import { answerElicitationBody, elicitationParams } from "@/lib/schemas/elicitations";

/** Answers an MCP server's question; the tool call waiting for it goes on (docs/paused-turns.md). */
export const POST = route({
  access: "user",
  params: elicitationParams,
  body: answerElicitationBody,
  async handler({ db, caller, params, body }) {
    const chat = await getOwnChat(db, caller, params.id);
    return json(await answerElicitation(db, caller, chat, params.elicitation_id, body));
  },
});
