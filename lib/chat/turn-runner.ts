import "server-only";
import { randomUUID } from "node:crypto";
import type { LanguageModel } from "ai";
import type { Database } from "@/db/client";
import type { UserRole } from "@/db/schema";
import {
  findMessage,
  findRunningTurn,
  finishTurn,
  insertMessage,
  setChatStatus,
  insertTurn,
  updateChat,
  updateMessage,
  type ChatRow,
  type MessageRow,
} from "@/db/queries/chats";
import { activePath } from "@/db/message-tree";
import { isUniqueViolation, loggableError } from "@/db/queries/errors";
import { claimTurn } from "@/db/queries/turn-start";
import type { TurnEndRows } from "@/db/queries/turn-end";
import {
  findChatById,
  findResumableMessages,
  listMessageRequests,
  markResumed,
} from "@/db/queries/pending-requests";
import { ApiError } from "@/lib/errors";
import type { Part } from "@/lib/chat/wire";
import { resolveModel } from "@/lib/llm/registry";
import { closeForNewMessage } from "./approvals/decide";
import { attachTurn, type TurnOrigin } from "./branches";
import type { TurnControl } from "./builtins/types";
import { cancelRunningTurn } from "./service";
import { waitForTurnEnd } from "./stream-bus";
import { trackLocalTurn } from "./local-turns";
import { runTurn } from "./turn-loop";

export interface StartTurnInput {
  chat: ChatRow;
  ownerId: string;
  /** The owner's role and email, when the caller already read them (the owner's own request). */
  owner?: { role: UserRole; email: string };
  content: string;
  planMode: boolean;
  model: { model: LanguageModel; modelId: string; imageToolResults: boolean };
  /**
   * A new server selection for the chat (already checked), stored in the same transaction
   * that claims the turn: a 409 chat.busy leaves the chat's selection as it was.
   */
  mcpServerIds?: string[];
  /** An edit or a regeneration (docs/chat-branches.md); absent, the turn follows the leaf. */
  origin?: TurnOrigin;
  /** The route answers with the stored chat and message: the turn's end returns them. */
  returnRows?: boolean;
}

export interface StartedTurn {
  turnId: string;
  assistantMessageId: string;
  /** The turn's end; with `returnRows`, the chat and message as stored then (see runTurn). */
  done: Promise<TurnEndRows | undefined>;
}

/**
 * Stores the user message, claims the chat's single running-turn slot (409 chat.busy when
 * taken) and runs the model loop in the background: the turn outlives the HTTP request.
 */
export async function startTurn(db: Database, input: StartTurnInput): Promise<StartedTurn> {
  const assistantMessageId = randomUUID();
  const turnId = randomUUID();
  let history: MessageRow[] | undefined;
  const title =
    input.chat.title || !input.content
      ? undefined
      : input.content.replace(/\s+/g, " ").trim().slice(0, 80);
  try {
    // One statement when nothing in the chat waits for an answer; else the full transaction,
    // which also closes what waits (closeForNewMessage).
    const claim = await claimTurn(db, {
      chatId: input.chat.id,
      turnId,
      answerId: assistantMessageId,
      planMode: input.planMode,
      question:
        input.origin?.kind === "regenerate"
          ? null
          : { id: randomUUID(), parts: [{ type: "text", text: input.content } satisfies Part] },
      parent:
        input.origin === undefined
          ? "leaf"
          : input.origin.kind === "edit"
            ? input.origin.parentId
            : input.origin.questionId,
      ...(input.mcpServerIds !== undefined && { mcpServerIds: input.mcpServerIds }),
      ...(title !== undefined && { title }),
    });
    if (claim.claimed) {
      const { before, question } = claim;
      // The branch the answer follows: up to the new question, or the regenerated one's.
      const leaf =
        question?.id ?? (input.origin?.kind === "regenerate" ? input.origin.questionId : null);
      history = activePath(question ? [...before, question] : before, leaf);
    } else {
      await startTurnWithRequests(db, input, turnId, assistantMessageId, title);
    }
  } catch (err) {
    if (isUniqueViolation(err, "turns_one_running_per_chat")) {
      throw new ApiError(
        409,
        "chat.busy",
        "A turn is already running in this chat. Wait for it or stop it.",
      );
    }
    throw err;
  }
  const controller = new AbortController();
  const untrack = trackLocalTurn(turnId, controller);
  // The turn runs with the selection it stored.
  const chat =
    input.mcpServerIds === undefined
      ? input.chat
      : { ...input.chat, mcpServerIds: input.mcpServerIds };
  const done = runTurn(db, {
    ...input,
    chat,
    ...(history && { history }),
    turnId,
    assistantMessageId,
    controller,
    turns: turnControl(db),
    afterEnd: () => resumeAnswered(db, chat.id),
  }).finally(untrack);
  return { turnId, assistantMessageId, done };
}

/**
 * The start of a turn in a chat where calls still wait for an answer: in one transaction, the
 * turn is claimed, the question stored, what waits declined (the person moved on) and the
 * answer's placeholder stored.
 */
async function startTurnWithRequests(
  db: Database,
  input: StartTurnInput,
  turnId: string,
  assistantMessageId: string,
  title: string | undefined,
): Promise<void> {
  await db.transaction(async (tx) => {
    await insertTurn(tx, { id: turnId, chatId: input.chat.id, assistantMessageId });
    let askedAt: Date | undefined;
    const parentId = await attachTurn(tx, input.chat.id, input.origin, async (parent) => {
      const question = await insertMessage(tx, {
        chatId: input.chat.id,
        parentId: parent,
        role: "user",
        planMode: input.planMode,
        parts: [{ type: "text", text: input.content } satisfies Part],
      });
      askedAt = question.createdAt;
      return question.id;
    });
    // Calls still waiting for an answer are declined: the person moved on.
    await closeForNewMessage(tx, input.chat.id, input.ownerId);
    await insertMessage(tx, {
      id: assistantMessageId,
      chatId: input.chat.id,
      parentId,
      role: "assistant",
      planMode: input.planMode,
      status: "streaming",
      // PGlite's clock can tick in whole milliseconds, giving both rows the same
      // clock_timestamp(); the answer must still sort after its question.
      ...(askedAt && { createdAt: new Date(askedAt.getTime() + 1) }),
    });
    await updateChat(tx, input.chat.id, {
      status: "running",
      leafMessageId: assistantMessageId,
      ...(input.mcpServerIds !== undefined && { mcpServerIds: input.mcpServerIds }),
      ...(title !== undefined && { title }),
    });
  });
}

/** What built-ins may do to turns (sub-agents), handed in so they need not import this file. */
function turnControl(db: Database): TurnControl {
  return {
    start: (child) => startTurn(db, child),
    cancel: (child) => cancelRunningTurn(db, child),
  };
}

/**
 * Starts the turn that carries a paused message's answers to the model, when every question of
 * the message is answered and no turn runs in the chat; null when there is nothing to resume
 * (or another instance won the race: the one-running-turn index decides). Any instance may
 * call it: after an answer, after an expiry, at the end of the paused turn, from the sweep.
 */
export async function resumeAnswered(db: Database, chatId?: string): Promise<StartedTurn | null> {
  const [target] = await findResumableMessages(db, { ...(chatId && { chatId }), limit: 1 });
  if (!target) return null;
  const [chat, message] = await Promise.all([
    findChatById(db, target.chatId),
    findMessage(db, target.messageId),
  ]);
  if (!chat || !message) return null;
  const turnId = randomUUID();
  try {
    await db.transaction(async (tx) => {
      await insertTurn(tx, { id: turnId, chatId: chat.id, assistantMessageId: message.id });
      await markResumed(tx, message.id, turnId);
      await updateMessage(tx, message.id, { status: "streaming" });
      await updateChat(tx, chat.id, { status: "running" });
    });
  } catch (err) {
    if (isUniqueViolation(err, "turns_one_running_per_chat")) return null;
    throw err;
  }
  const requests = (await listMessageRequests(db, message.id)).filter(
    (r) => r.resumedTurnId === turnId,
  );
  const controller = new AbortController();
  const untrack = trackLocalTurn(turnId, controller);
  const done = (async () => {
    const model = await resolveModel(db, chat.model).catch((err: unknown) => {
      console.error(`[turn ${turnId}] no model to resume with:`, loggableError(err));
      return null;
    });
    if (!model) {
      // Without a model nothing can run: the answers still reach the model on the next turn.
      await updateMessage(db, message.id, { status: "error" });
      await finishTurn(db, turnId, "error", "No model is configured for this chat.");
      await setChatStatus(db, chat.id, "error");
      return undefined;
    }
    return runTurn(db, {
      chat,
      ownerId: chat.ownerId,
      planMode: message.planMode,
      model,
      turnId,
      assistantMessageId: message.id,
      controller,
      turns: turnControl(db),
      resume: requests,
      afterEnd: () => resumeAnswered(db, chat.id),
    });
  })().finally(untrack);
  return { turnId, assistantMessageId: message.id, done };
}

/** How long a person's answer waits for the turn that asked to finish writing its last chunks. */
const ANSWER_WAITS_FOR_ASKER_MS = 20_000;

/**
 * `resumeAnswered` after a person's answer, such that the continuing turn exists when this
 * returns: the caller's client asks for the chat's stream next and must get that turn.
 *
 * The card is shown as soon as the asking turn streams it, but that turn still stores the
 * message and ends a moment later; an answer given in that moment cannot start the continuing
 * turn yet (one running turn per chat), and a client asking for the stream would follow the
 * asking turn's tail, see it end and miss the answer. So when the asking turn still runs, wait
 * for it to end, then resume (it also resumes at its end: whichever comes first starts it).
 */
export async function resumeAfterAnswer(
  db: Database,
  chatId: string,
  askingTurnId: string,
): Promise<void> {
  if (await resumeAnswered(db, chatId)) return;
  const running = await findRunningTurn(db, chatId);
  if (running?.id !== askingTurnId) return;
  if (await waitForTurnEnd(db, askingTurnId, ANSWER_WAITS_FOR_ASKER_MS)) {
    await resumeAnswered(db, chatId);
  }
}
