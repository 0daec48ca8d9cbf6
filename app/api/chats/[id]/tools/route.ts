import { idParams, json, route } from "@/lib/api/route";
import { getOwnChat } from "@/lib/chat/service";
import { assembleTurnTools } from "@/lib/chat/tools/assemble";
import { turnContextOf } from "@/lib/chat/tools/context";
import { chatToolsQuery } from "@/lib/schemas/chats";

export const GET = route({
  access: "user",
  params: idParams,
  query: chatToolsQuery,
  async handler({ db, caller, params, query }) {
    const chat = await getOwnChat(db, caller, params.id);
    const context = turnContextOf(chat, caller, query.plan_mode === "true", chat.agentKind);
    const assembled = await assembleTurnTools(db, context, { explain: true });
    return json(assembled.rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)));
  },
});
