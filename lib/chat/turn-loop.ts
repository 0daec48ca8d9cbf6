import "server-only";
// The model loop of one turn: tools assembled, the AI SDK's loop streamed into stored parts and
// stream rows, and the end of the turn recorded. A turn either answers a new user message or
// continues an assistant message that paused for a person (docs/paused-turns.md): then the
// answers ride in the history as the SDK's approval parts, and the SDK runs the approved calls
// (or reports the declined ones) before it asks the model again.
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
  heartbeatTurn,
  listAllMessages,
  listMessages,
  type ChatRow,
  type MessageRow,
} from "@/db/queries/chats";
import { activePath } from "@/db/message-tree";
import type { UserRole } from "@/db/schema";
import { loggableError } from "@/db/queries/errors";
import type { PendingRequestRow } from "@/db/queries/pending-requests";
import { findUserById } from "@/db/queries/users";
import { planModeInstructions } from "@/lib/settings/app-settings";
import { carriedAnswers, storePendingApproval, approvalPartOf } from "./approvals/store";
import { createTurnLoop } from "./approvals/loop";
import { declineAll, elicitationSink, type ElicitingTurn } from "./elicitations/ask";
import { inputRoundStore } from "./elicitations/rounds";
import type { Part } from "@/lib/chat/wire";
import type { TurnControl } from "./builtins/types";
import { isToolFailure } from "./builtins/refusal";
import { toModelMessages } from "./history";
import type { Notice } from "./mcp-notices";
import { PartsBuilder } from "./parts";
import { planFilePath } from "./plan-file";
import { deniedText, TOOL_DENIED } from "./policy-denied";
import { buildSystemPrompt } from "./prompts";
import { replayChunks } from "./replay";
import { ChunkWriter } from "./stream-bus";
import type { TurnEndRows } from "@/db/queries/turn-end";
import { ToolAuditWriter } from "./tool-audit";
import { progressChunk, ProgressThrottle } from "./tool-progress";
import { assembleTurnTools } from "./tools/assemble";
import { turnContextOf } from "./tools/context";
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

export interface RunTurnInput {
  chat: ChatRow;
  ownerId: string;
  planMode: boolean;
  model: { model: LanguageModel; modelId: string; imageToolResults: boolean };
  turnId: string;
  assistantMessageId: string;
  controller: AbortController;
  turns: TurnControl;
  /** The answered requests this turn carries, when it continues a paused message. */
  resume?: PendingRequestRow[];
  /** The branch the new answer follows, oldest first, when the turn's start read it. */
  history?: MessageRow[];
  /** Whether the turn's end returns the stored chat and message (an answer in JSON). */
  returnRows?: boolean;
  /** The owner's role and email when the caller already read them; else they are read. */
  owner?: { role: UserRole; email: string };
  /** Runs after the turn ended: a request answered while it was ending is picked up here. */
  afterEnd?: () => Promise<unknown>;
}

/**
 * Runs the turn to its end. With `input.returnRows`, resolves to the chat and message as the
 * end stored them, unless something ran after the end (a resume) that may have changed them.
 */
export async function runTurn(db: Database, input: RunTurnInput): Promise<TurnEndRows | undefined> {
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

  const resume = input.resume ?? [];
  // A new turn's answer is the chat's leaf (no branch moves while a turn runs): its branch is
  // known without reading the chat, or handed over by the turn's start. A continuing turn
  // follows the chat's leaf.
  const all =
    input.history ??
    (await (
      resume.length > 0
        ? listMessages(db, chat.id)
        : listAllMessages(db, chat.id).then((rows) => activePath(rows, assistantMessageId))
    ).catch(() => []));
  const continued = resume.length > 0 ? all.find((m) => m.id === assistantMessageId) : undefined;
  const initialParts = (continued?.parts ?? []) as Part[];
  let builder = new PartsBuilder(() => undefined, new Set(), initialParts);
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
  let audit: ToolAuditWriter | undefined;
  let ended: TurnEndRows | undefined;

  try {
    emit({ type: "start", messageId: assistantMessageId });
    // A continuing turn's stream first describes the message so far (stream only: the parts
    // builder already holds those parts).
    if (continued) for (const chunk of replayChunks(initialParts)) writer.push(chunk);
    const { answers, answered, declined } = carriedAnswers(resume);
    // Live viewers see the answered cards change before anything runs.
    for (const request of resume) {
      emit({ type: "data-approval", id: request.id, data: approvalPartOf(request) });
    }
    const history = continued ? all : all.filter((m) => m.id !== assistantMessageId);
    const agent = chat.agentKind;
    const system = buildSystemPrompt({
      planMode: input.planMode,
      agent,
      planFilePath: agent === "root" ? planFilePath(chat.id) : null,
      hasWorkspace: chat.workspaceId !== null,
      extraPlanInstructions: input.planMode ? await planModeInstructions(db) : "",
    });
    // Notices speak to the chat's owner: only an admin sees server addresses and details.
    // The route that started the turn already read the owner (the caller).
    const owner = input.owner ?? (await findUserById(db, input.ownerId));
    const context = turnContextOf(
      chat,
      { id: input.ownerId, role: owner?.role === "admin" ? "admin" : "member" },
      input.planMode,
      agent,
    );
    audit = new ToolAuditWriter(db, {
      userId: input.ownerId,
      userEmail: owner?.email ?? "",
      chatId: chat.id,
      turnId,
      planMode: input.planMode,
      agent,
    });
    const asking: ElicitingTurn = {
      db,
      chatId: chat.id,
      ownerId: input.ownerId,
      turnId,
      messageId: assistantMessageId,
      planMode: input.planMode,
      emitPart: (part) => emit({ type: "data-elicitation", id: part.elicitation_id, data: part }),
      notice,
      // The card must survive a reload while the person takes their time: stored now.
      persist: () => {
        writer.saveParts(assistantMessageId, builder.parts);
        return writer.flush();
      },
      signal: controller.signal,
    };
    const loop = createTurnLoop(db, {
      agent,
      rootChatId: context.identity.rootChatId,
      audit,
      answered,
      // A sub-agent runs unseen: its servers' questions are declined.
      elicit: (call) => (agent === "root" ? elicitationSink(asking, call) : declineAll),
      // A 2026-07-28 call's round state waits in Postgres, never in this process's memory.
      inputRounds: (call) =>
        inputRoundStore(db, { chatId: chat.id, turnId, toolCallId: call.toolCallId }),
    });
    const assembled = await assembleTurnTools(db, context, {
      signal: controller.signal,
      onNotice: notice,
      imageToolResults: input.model.imageToolResults,
      loop,
      progress: new ProgressThrottle((data) => emit(progressChunk(data))),
      run: {
        db,
        chat,
        ownerId: input.ownerId,
        planMode: input.planMode,
        agent,
        emitPart: (type, data) => emit({ type: `data-${type}`, data }),
        turns: input.turns,
      },
    });
    const parts = builder.parts;
    builder = new PartsBuilder((name) => assembled.origins.get(name), assembled.denied, parts);
    for (const [id, text] of declined) builder.declined.set(id, text);
    for (const n of assembled.notices) notice(n);

    const result = streamText({
      model: input.model.model,
      system,
      messages: toModelMessages(history, answers),
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
    const audited = new Set<string>();
    for await (const chunk of stream) {
      const c = chunk as Record<string, unknown>;
      if (typeof c.toolCallId === "string" && typeof c.toolName === "string")
        callNames.set(c.toolCallId, c.toolName);
      if (c.type === "tool-approval-request") {
        // The call waits for a person: stored, then streamed as the contract's approval part
        // (the SDK's own chunk is not passed on; the part stands for it).
        const ask = loop.requested.get(String(c.toolCallId));
        if (!ask) continue;
        const request = await storePendingApproval(db, {
          chat,
          turnId,
          messageId: assistantMessageId,
          ask,
          planMode: input.planMode,
          userEmail: audit.turn.userEmail,
        });
        emit({ type: "data-approval", id: request.id, data: approvalPartOf(request) });
        continue;
      }
      if (c.type === "tool-output-error" || c.type === "tool-input-error") {
        const id = String(c.toolCallId);
        const name = callNames.get(id) ?? String(c.toolName ?? "");
        const offered = name in assembled.tools;
        if (!offered) {
          // A call to a tool that was never offered: refused here, it never reaches a server.
          // The SDK reports it twice (invalid input, then its error result): one notice.
          c.errorText = deniedText(name, "not_offered");
          if (!assembled.denied.has(id)) {
            assembled.denied.add(id);
            notice({ code: TOOL_DENIED, detail: String(c.errorText) });
          }
        }
        if (!audited.has(id) && (!offered || c.type === "tool-input-error")) {
          audited.add(id);
          const origin = assembled.origins.get(name);
          audit.record(
            {
              toolCallId: id,
              source: origin?.source ?? (name.includes("__") ? "mcp" : "builtin"),
              tool: origin?.toolName ?? name,
              input: c.input ?? null,
              ...(origin?.serverId !== undefined && { serverId: origin.serverId }),
            },
            offered ? { decision: "allowed" } : { decision: "denied", reason: "not_offered" },
            { outcome: "not_run", errorCode: offered ? "tool.invalid_input" : TOOL_DENIED },
          );
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
      // Queued, not awaited: the stream never waits on the database.
      if (c.type === "finish-step") writer.saveParts(assistantMessageId, builder.parts);
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
    const paused = builder.pendingApprovals().length > 0;
    // The calls' audit rows are written before the turn is seen to end.
    await audit?.written();
    // One statement: the last chunks, the message, the turn and the chat; followers on this
    // instance close their stream at once, not at their next poll.
    const rows = await writer.end({
      ...(input.returnRows && { returnRows: true }),
      chatId: chat.id,
      messageId: assistantMessageId,
      parts: builder.parts,
      messageStatus: outcome === "done" ? "complete" : outcome,
      turnStatus: outcome,
      error: errorText,
      chatStatus:
        outcome === "error"
          ? "error"
          : paused || (outcome === "done" && waitsForUser)
            ? "waiting"
            : "idle",
    });
    // Only a message that asked a person something can have answers to carry on (a new turn
    // closed every older request of the chat when it started).
    const asked =
      resume.length > 0 ||
      builder.parts.some((p) => p.type === "approval" || p.type === "elicitation");
    if (asked && input.afterEnd) {
      await input.afterEnd().catch((err: unknown) => {
        console.error(`[turn ${turnId}] resume check failed:`, loggableError(err));
      });
    } else {
      ended = rows;
    }
  }
  return ended;
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
