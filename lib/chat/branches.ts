import "server-only";
// Edits, regenerations and branch switches (docs/chat-branches.md). A chat's messages form a
// tree; the chat's leaf names the branch shown and continued. Nothing is ever deleted: editing
// a question or regenerating an answer adds a sibling, and the old branch stays reachable.
import type { Database, Executor } from "@/db/client";
import {
  findOwnChat,
  findRunningTurn,
  listAllMessages,
  lockChatLeaf,
  setChatLeaf,
  setChatStatus,
  type ChatRow,
  type MessageRow,
} from "@/db/queries/chats";
import { activePath, newestLeafFrom, siblingIds } from "@/db/message-tree";
import { ApiError, Errors } from "@/lib/errors";
import type { BranchedMessage, ChatWithMessages } from "@/lib/chat/wire";
import { closeForNewMessage } from "./approvals/decide";
import { chatJson, messageJson } from "./service";

/** Where a new turn attaches; absent, after the chat's current leaf. */
export type TurnOrigin =
  /** An edited question: the new question follows the edited one's parent. */
  | { kind: "edit"; parentId: string | null }
  /** A regenerated answer: no new question, the new answer follows this one. */
  | { kind: "regenerate"; questionId: string };

export const chatBusy = () =>
  new ApiError(409, "chat.busy", "A turn is already running in this chat. Wait for it or stop it.");

const messageNotFound = () => Errors.notFound("message", "message");

/** The chat with its current branch, each message telling its parent and alternatives. */
export async function chatWithBranches(db: Executor, chat: ChatRow): Promise<ChatWithMessages> {
  const all = await listAllMessages(db, chat.id);
  const siblings = siblingIds(all);
  const messages: BranchedMessage[] = activePath(all, chat.leafMessageId).map((row) => ({
    ...messageJson(row),
    parent_id: row.parentId,
    sibling_ids: siblings.get(row.id) ?? [row.id],
  }));
  return { ...chatJson(chat), messages };
}

async function messageOfChat(db: Executor, chat: ChatRow, id: string): Promise<MessageRow> {
  const row = (await listAllMessages(db, chat.id)).find((m) => m.id === id);
  if (!row) throw messageNotFound();
  return row;
}

/** The origin of a turn that edits question `id`: only a user message can be edited. */
export async function editOrigin(db: Executor, chat: ChatRow, id: string): Promise<TurnOrigin> {
  const row = await messageOfChat(db, chat, id);
  if (row.role !== "user") {
    throw new ApiError(400, "message.not_editable", "Only your own messages can be edited.");
  }
  return { kind: "edit", parentId: row.parentId };
}

/**
 * The origin of a turn that answers again the question answer `id` replied to, and that
 * question's plan mode (the default for the new answer).
 */
export async function regenerateOrigin(
  db: Executor,
  chat: ChatRow,
  id: string,
): Promise<{ origin: TurnOrigin; planMode: boolean }> {
  const all = await listAllMessages(db, chat.id);
  const row = all.find((m) => m.id === id);
  if (!row) throw messageNotFound();
  const question = all.find((m) => m.id === row.parentId);
  if (row.role !== "assistant" || question?.role !== "user") {
    throw new ApiError(
      400,
      "message.not_regenerable",
      "Only an answer to one of your messages can be regenerated.",
    );
  }
  return { origin: { kind: "regenerate", questionId: question.id }, planMode: question.planMode };
}

/**
 * Inside the transaction that claims a turn: the parent of the turn's new answer, inserting the
 * question first unless the turn regenerates an answer. Locks the chat row (see lockChatLeaf).
 */
export async function attachTurn(
  tx: Executor,
  chatId: string,
  origin: TurnOrigin | undefined,
  insertQuestion: (parentId: string | null) => Promise<string>,
): Promise<string> {
  const leaf = await lockChatLeaf(tx, chatId);
  if (origin?.kind === "regenerate") return origin.questionId;
  return insertQuestion(origin ? origin.parentId : leaf);
}

/**
 * Shows the branch through message `id`, down to its newest reply. Refused while a turn runs;
 * calls still waiting for an answer are declined, as a new message would.
 */
export async function selectBranch(
  db: Database,
  chat: ChatRow,
  ownerId: string,
  id: string,
): Promise<void> {
  await db.transaction(async (tx) => {
    const current = await lockChatLeaf(tx, chat.id);
    if (await findRunningTurn(tx, chat.id)) throw chatBusy();
    const all = await listAllMessages(tx, chat.id);
    if (!all.some((m) => m.id === id)) throw messageNotFound();
    const leaf = newestLeafFrom(all, id);
    if (leaf === current) return;
    await closeForNewMessage(tx, chat.id, ownerId);
    await setChatLeaf(tx, chat.id, leaf);
    // Read under the lock: a paused branch is left, so nothing waits any more.
    const now = await findOwnChat(tx, ownerId, chat.id);
    if (now?.status === "waiting") await setChatStatus(tx, chat.id, "idle");
  });
}
