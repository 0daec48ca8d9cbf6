import { findRunningTurn } from "@/db/queries/chats";
import { idParams, noContent, route } from "@/lib/api/route";
import { getOwnChat } from "@/lib/chat/service";
import { turnStreamResponse } from "@/lib/chat/sse";

export const GET = route({
  access: "user",
  params: idParams,
  async handler({ db, caller, params, req }) {
    const chat = await getOwnChat(db, caller, params.id);
    const turn = await findRunningTurn(db, chat.id);
    if (!turn) return noContent();
    return turnStreamResponse(db, turn.id, req.signal);
  },
});
