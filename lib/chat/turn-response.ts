import "server-only";
// Every route that starts a turn (a new message, an edit, a regeneration) answers the same way:
// the turn's UI message stream, or with `Accept: application/json` the finished answer.
import type { Database } from "@/db/client";
import { findOwnChat, type ChatRow } from "@/db/queries/chats";
import { json } from "@/lib/api/route";
import type { Caller } from "@/lib/auth/caller";
import { resolveModel } from "@/lib/llm/registry";
import type { TurnOrigin } from "./branches";
import { assistantMessage, chatJson, checkServerSelection, messageJson } from "./service";
import { turnStreamResponse } from "./sse";
import { startTurn } from "./turn-runner";

export async function startTurnResponse(
  db: Database,
  caller: Caller,
  req: Request,
  chat: ChatRow,
  turn: {
    content: string;
    planMode: boolean;
    /** As sent: absent = unchanged. Checked here. */
    mcpServerIds?: string[];
    origin?: TurnOrigin;
  },
): Promise<Response> {
  // Absent means unchanged; present replaces the chat's selection from this turn on, stored
  // with the turn's start so a busy chat keeps the selection it had.
  const mcpServerIds =
    turn.mcpServerIds === undefined ? undefined : await checkServerSelection(db, turn.mcpServerIds);
  const model = await resolveModel(db, chat.model);
  const inJson = (req.headers.get("accept") ?? "").includes("application/json");
  const started = await startTurn(db, {
    chat,
    ...(mcpServerIds !== undefined && { mcpServerIds }),
    ...(turn.origin && { origin: turn.origin }),
    ownerId: caller.id,
    owner: { role: caller.role, email: caller.email },
    content: turn.content,
    planMode: turn.planMode,
    model,
    ...(inJson && { returnRows: true }),
  });
  if (inJson) {
    // The end statement returns the chat and message as stored; read again only when it could
    // not (a turn that resumed right after, or a chat whose status a later turn holds).
    const ended = await started.done;
    const after = ended?.chat ?? (await findOwnChat(db, caller.id, chat.id)) ?? chat;
    return json({
      chat: chatJson(after),
      message: ended?.message
        ? messageJson(ended.message)
        : await assistantMessage(db, started.assistantMessageId),
    });
  }
  return turnStreamResponse(db, started.turnId, req.signal);
}
