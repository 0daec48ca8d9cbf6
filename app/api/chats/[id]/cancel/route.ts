import { idParams, json, route } from "@/lib/api/route";
import { cancelRunningTurn, getOwnChat } from "@/lib/chat/service";

export const POST = route({
  access: "user",
  params: idParams,
  async handler({ db, caller, params }) {
    const chat = await getOwnChat(db, caller, params.id);
    return json({ cancelled: await cancelRunningTurn(db, chat) });
  },
});
