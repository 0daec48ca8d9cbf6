import { idParams, json, route } from "@/lib/api/route";
import { getOwnChat } from "@/lib/chat/service";
import { assembleMcpTools } from "@/lib/chat/tool-assembly";
import { chatToolsQuery } from "@/lib/schemas/chats";

export const GET = route({
  access: "user",
  params: idParams,
  query: chatToolsQuery,
  async handler({ db, caller, params, query }) {
    const chat = await getOwnChat(db, caller, params.id);
    const assembled = await assembleMcpTools(db, {
      audience: caller.role,
      identity: {
        userId: caller.id,
        chatId: chat.id,
        rootChatId: chat.parentChatId ?? chat.id,
        workspaceId: chat.workspaceId,
      },
      selectedServerIds: chat.mcpServerIds,
      turn: {
        planMode: query.plan_mode === "true",
        agent: chat.agentKind,
      },
      includeUnselected: true,
    });
    return json(assembled.rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)));
  },
});
