import "server-only";
import { randomUUID } from "node:crypto";
import {
  InvalidToolInputError,
  NoSuchToolError,
  stepCountIs,
  streamText,
  type LanguageModel,
  type StopCondition,
  type ToolSet,
} from "ai";
import type { Database } from "@/db/client";
import {
  finishTurn,
  heartbeatTurn,
  insertMessage,
  insertTurn,
  listMessages,
  setChatStatus,
  updateChat,
  updateMessage,
  type ChatRow,
} from "@/db/queries/chats";
import { findUserById } from "@/db/queries/users";
import { isUniqueViolation } from "@/db/queries/errors";
import { ApiError } from "@/lib/errors";
import type { Part } from "@/lib/client/types";
import { planModeInstructions } from "@/lib/settings/app-settings";
import { isToolFailure } from "./builtins/refusal";
import { toModelMessages } from "./history";
import { PartsBuilder } from "./parts";
import { planFilePath } from "./plan-file";
import type { Notice } from "./mcp-notices";
import { deniedText, TOOL_DENIED } from "./policy-denied";
import { buildSystemPrompt } from "./prompts";
import { ChunkWriter, notifyTurn } from "./stream-bus";
import { loggableError } from "@/db/queries/errors";
import { cancelRunningTurn } from "./service";
import { assembleTurnTools } from "./tools/assemble";
import { turnContextOf } from "./tools/context";
import { trackLocalTurn } from "./local-turns";
import { HEARTBEAT_MS } from "./turn-liveness";

const MAX_STEPS = 25;

/**
 * Stops the loop once a turn-ending tool (propose_plan, ask_user_question) succeeded. A failed
 * call (missing plan file, invalid questions) lets the model correct itself instead.
 */
function endedOnTool(names: readonly string[]): StopCondition<ToolSet> {
  const ending = new Set(names);
  return ({ steps }) =>
    steps.at(-1)?.toolResults.some((r) => ending.has(r.toolName) && !isToolFailure(r.output)) ??
    false;
}

export interface StartTurnInput {
  chat: ChatRow;
  ownerId: string;
  content: string;
  planMode: boolean;
  model: { model: LanguageModel; modelId: string; imageToolResults: boolean };
  /**
   * A new server selection for the chat (already checked), stored in the same transaction
   * that claims the turn: a 409 chat.busy leaves the chat's selection as it was.
   */
  mcpServerIds?: string[];
}

export interface StartedTurn {
  turnId: string;
  assistantMessageId: string;
  done: Promise<void>;
}

/**
 * Stores the user message, claims the chat's single running-turn slot (409 chat.busy when
 * taken) and runs the model loop in the background: the turn outlives the HTTP request.
 */
export async function startTurn(db: Database, input: StartTurnInput): Promise<StartedTurn> {
  const assistantMessageId = randomUUID();
  const turnId = randomUUID();
  try {
    await db.transaction(async (tx) => {
      await insertTurn(tx, { id: turnId, chatId: input.chat.id, assistantMessageId });
      const question = await insertMessage(tx, {
        chatId: input.chat.id,
        role: "user",
        planMode: input.planMode,
        parts: [{ type: "text", text: input.content } satisfies Part],
      });
      await insertMessage(tx, {
        id: assistantMessageId,
        chatId: input.chat.id,
        role: "assistant",
        planMode: input.planMode,
        status: "streaming",
        // PGlite's clock can tick in whole milliseconds, giving both rows the same
        // clock_timestamp(); the answer must still sort after its question.
        createdAt: new Date(question.createdAt.getTime() + 1),
      });
      await updateChat(tx, input.chat.id, {
        status: "running",
        ...(input.mcpServerIds !== undefined && { mcpServerIds: input.mcpServerIds }),
        ...(input.chat.title
          ? {}
          : { title: input.content.replace(/\s+/g, " ").trim().slice(0, 80) }),
      });
    });
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
  const done = runTurn(db, { ...input, chat, turnId, assistantMessageId, controller }).finally(
    untrack,
  );
  return { turnId, assistantMessageId, done };
}

async function runTurn(
  db: Database,
  input: StartTurnInput & {
    turnId: string;
    assistantMessageId: string;
    controller: AbortController;
  },
): Promise<void> {
  const { chat, turnId, assistantMessageId, controller } = input;
  const writer = new ChunkWriter(db, turnId);
  const heartbeat = setInterval(() => {
    heartbeatTurn(db, turnId).then(
      ({ cancelRequested, running }) => {
        // Not running any more: another instance took this one for dead and ended the turn.
        if (cancelRequested || !running) controller.abort();
      },
      (err: unknown) => console.error(`[turn ${turnId}] heartbeat failed:`, loggableError(err)),
    );
  }, HEARTBEAT_MS);
  heartbeat.unref();

  let builder = new PartsBuilder(() => undefined);
  const seen = new Set<string>();
  const emit = (chunk: Record<string, unknown>) => {
    seen.add(String(chunk.type));
    writer.push(chunk);
    builder.apply(chunk);
  };
  const notice = (n: Notice) => emit({ type: "data-notice", data: n });
  let outcome: "done" | "error" | "cancelled" = "done";
  let errorText: string | null = null;
  // Set when a turn-ending tool succeeded: the chat then waits for the user (review, answers).
  let waitsForUser = false;

  try {
    emit({ type: "start", messageId: assistantMessageId });
    const history = (await listMessages(db, chat.id)).filter((m) => m.id !== assistantMessageId);
    const agent = chat.agentKind;
    const system = buildSystemPrompt({
      planMode: input.planMode,
      agent,
      planFilePath: agent === "root" ? planFilePath(chat.id) : null,
      hasWorkspace: chat.workspaceId !== null,
      extraPlanInstructions: input.planMode ? await planModeInstructions(db) : "",
    });
    // Notices speak to the chat's owner: only an admin sees server addresses and details.
    const owner = await findUserById(db, input.ownerId);
    const context = turnContextOf(
      chat,
      { id: input.ownerId, role: owner?.role === "admin" ? "admin" : "member" },
      input.planMode,
      agent,
    );
    const assembled = await assembleTurnTools(db, context, {
      signal: controller.signal,
      onNotice: notice,
      imageToolResults: input.model.imageToolResults,
      run: {
        db,
        chat,
        ownerId: input.ownerId,
        planMode: input.planMode,
        agent,
        emitPart: (type, data) => emit({ type: `data-${type}`, data }),
        turns: {
          start: (child) => startTurn(db, child),
          cancel: (child) => cancelRunningTurn(db, child),
        },
      },
    });
    builder = new PartsBuilder((name) => assembled.origins.get(name), assembled.denied);
    for (const n of assembled.notices) notice(n);

    const result = streamText({
      model: input.model.model,
      system,
      messages: toModelMessages(history),
      tools: assembled.tools,
      stopWhen: [stepCountIs(MAX_STEPS), endedOnTool(assembled.endsTurn)],
      abortSignal: controller.signal,
    });
    const stream = result.toUIMessageStream({
      sendStart: false,
      // Also names tool errors shown to the user; the model gets the SDK's own error text.
      onError: (err) => {
        if (NoSuchToolError.isInstance(err)) return deniedText(err.toolName, "not_offered");
        if (InvalidToolInputError.isInstance(err))
          return `The model sent invalid input for ${err.toolName}.`;
        // The SDK hands over the error result of an invalid call (an unknown tool, input that
        // does not parse) as the text it gave the model: the model's mistake, not a failure.
        if (typeof err === "string") return err.length > 500 ? `${err.slice(0, 499)}…` : err;
        console.error(`[turn ${turnId}] model loop error:`, loggableError(err));
        return describeModelError(err);
      },
    });
    const callNames = new Map<string, string>();
    for await (const chunk of stream) {
      const c = chunk as Record<string, unknown>;
      if (typeof c.toolCallId === "string" && typeof c.toolName === "string")
        callNames.set(c.toolCallId, c.toolName);
      if (c.type === "tool-output-error" || c.type === "tool-input-error") {
        const id = String(c.toolCallId);
        const name = callNames.get(id) ?? String(c.toolName ?? "");
        if (!(name in assembled.tools)) {
          // A call to a tool that was never offered: refused here, it never reaches a server.
          // The SDK reports it twice (invalid input, then its error result): one notice.
          c.errorText = deniedText(name, "not_offered");
          if (!assembled.denied.has(id)) {
            assembled.denied.add(id);
            notice({ code: TOOL_DENIED, detail: String(c.errorText) });
          }
        }
      }
      if (
        c.type === "tool-output-available" &&
        assembled.endsTurn.includes(callNames.get(String(c.toolCallId)) ?? "") &&
        !isToolFailure(c.output)
      ) {
        waitsForUser = true;
      }
      if (c.type === "error") {
        outcome = "error";
        errorText = String(c.errorText ?? "error");
      }
      if (c.type === "abort") outcome = "cancelled";
      emit(c);
      if (c.type === "finish-step")
        await updateMessage(db, assistantMessageId, { parts: builder.parts });
    }
    if (controller.signal.aborted) outcome = "cancelled";
  } catch (err) {
    if (controller.signal.aborted) {
      outcome = "cancelled";
    } else {
      outcome = "error";
      errorText = describeModelError(err);
      console.error(`[turn ${turnId}] failed:`, loggableError(err));
      emit({ type: "error", errorText });
    }
  } finally {
    clearInterval(heartbeat);
    if (outcome === "cancelled") {
      builder.settle("Stopped by the user.");
      if (!seen.has("abort")) emit({ type: "abort" });
    } else if (outcome === "error") {
      builder.settle("The turn failed before this call finished.");
    }
    if (!seen.has("finish")) emit({ type: "finish" });
    try {
      await writer.flush();
    } catch (err) {
      console.error(`[turn ${turnId}] could not store stream chunks:`, loggableError(err));
    }
    await updateMessage(db, assistantMessageId, {
      parts: builder.parts,
      status: outcome === "done" ? "complete" : outcome,
    });
    await finishTurn(db, turnId, outcome, errorText);
    await setChatStatus(
      db,
      chat.id,
      outcome === "error" ? "error" : outcome === "done" && waitsForUser ? "waiting" : "idle",
    );
    // Followers on this instance close their stream now, not at their next poll.
    notifyTurn(turnId);
  }
}

/** A short, safe sentence for the user: no upstream bodies, keys or stack traces. */
function describeModelError(err: unknown): string {
  const e = err as { name?: string; statusCode?: number; message?: string };
  if (e?.name === "AI_APICallError" || typeof e?.statusCode === "number") {
    if (e.statusCode === 401 || e.statusCode === 403)
      return "The model provider rejected the API key.";
    if (e.statusCode === 429)
      return "The model provider is rate limiting requests. Try again shortly.";
    if (e.statusCode === 404) return "The model provider does not know this model.";
    return `The model provider returned an error${e.statusCode ? ` (HTTP ${e.statusCode})` : ""}.`;
  }
  if (e?.name === "AI_RetryError")
    return "The model provider did not answer after several attempts.";
  return "The turn failed on the server. The error has been logged.";
}
