import { findOwnChat } from "@/db/queries/chats";
import { idParams, json, route } from "@/lib/api/route";
import { assistantMessage, chatJson, checkServerSelection, getOwnChat } from "@/lib/chat/service";
import { turnStreamResponse } from "@/lib/chat/sse";
import { startTurn } from "@/lib/chat/turn-runner";
import { resolveModel } from "@/lib/llm/registry";
import { postMessageBody } from "@/lib/schemas/chats";

export const POST = route({
  access: "user",
  params: idParams,
  body: postMessageBody,
  async handler({ db, caller, params, body, req }) {
    const chat = await getOwnChat(db, caller, params.id);
    // Absent means unchanged; present replaces the chat's selection from this turn on, stored
    // with the turn's start so a busy chat keeps the selection it had.
    const mcpServerIds =
      body.mcp_server_ids === undefined
        ? undefined
        : await checkServerSelection(db, body.mcp_server_ids);
    const model = await resolveModel(db, chat.model);
    const turn = await startTurn(db, {
      chat,
      ...(mcpServerIds !== undefined && { mcpServerIds }),
      ownerId: caller.id,
      content: body.content,
      planMode: body.plan_mode,
      model,
    });
    if ((req.headers.get("accept") ?? "").includes("application/json")) {
      await turn.done;
      const after = (await findOwnChat(db, caller.id, chat.id)) ?? chat;
      return json({
        chat: chatJson(after),
        message: await assistantMessage(db, turn.assistantMessageId),
      });
    }
    return turnStreamResponse(db, turn.turnId, req.signal);
  },
});
