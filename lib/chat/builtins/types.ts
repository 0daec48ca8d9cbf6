import type { z } from "zod";
import type { Database } from "@/db/client";
import type { ChatRow } from "@/db/queries/chats";
import type { ResolvedModel } from "@/lib/llm/registry";
import type { AgentKind } from "@/lib/policy/tool-policy";

/**
 * What built-ins may do to turns (the agent tools start and stop their sub-agents' turns). The
 * runner hands it in, so no built-in imports the runner that imports the built-ins.
 */
export interface TurnControl {
  /** Starts a turn in `chat`; it runs on in the background. 409 chat.busy when one runs. */
  start(input: {
    chat: ChatRow;
    ownerId: string;
    content: string;
    planMode: boolean;
    model: ResolvedModel;
  }): Promise<{ done: Promise<unknown> }>;
  /** Asks the chat's running turn (and its sub-agents' turns) to stop; whether one ran. */
  cancel(chat: ChatRow): Promise<boolean>;
}

/** What a built-in tool knows about the turn it runs in. */
export interface BuiltinContext {
  db: Database;
  chat: ChatRow;
  ownerId: string;
  planMode: boolean;
  agent: AgentKind;
  signal: AbortSignal;
  toolCallId: string;
  turns: TurnControl;
  /**
   * Adds a part to the assistant message as it streams: `plan` ({path, content}) or
   * `question` ({questions}); the UI renders them and they are stored with the message.
   */
  emitPart: (type: "plan" | "question", data: Record<string, unknown>) => void;
}

export interface BuiltinTool<S extends z.ZodType = z.ZodType> {
  name: string;
  description: string;
  inputSchema: S;
  /** The turn ends after this tool runs (propose_plan, ask_user_question). */
  endsTurn?: boolean;
  /** Returns what the model and the UI see as the result. Throw to report an error. */
  execute(input: z.output<S>, ctx: BuiltinContext): Promise<unknown>;
}

/** Typed constructor so each tool's execute sees its own schema's output type. */
export function defineBuiltin<S extends z.ZodType>(tool: BuiltinTool<S>): BuiltinTool {
  return tool as unknown as BuiltinTool;
}
