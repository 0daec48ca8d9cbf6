// Stored messages (the API's `Part` format) → AI SDK v6 UI messages, so a reloaded chat renders
// through the same components as a live stream.
import { getToolName, isStaticToolUIPart, type DynamicToolUIPart, type UIMessage } from "ai";
import type { ToolProgressData } from "@/lib/chat/tool-progress";
import type {
  ApprovalPart,
  BranchedMessage,
  ElicitationPart,
  Message,
  Part,
} from "@/lib/client/types";
import { parseQuestions, type UserQuestion } from "./question-logic";
import { splitModelIntent } from "./tool-label";

export interface ChatNotice {
  code: string;
  detail: string;
  server_id?: string;
}

// A type alias, not an interface: UIMessage needs it assignable to `Record<string, unknown>`.
export type ChatDataTypes = {
  notice: ChatNotice;
  plan: { path: string; content: string };
  question: { questions: UserQuestion[] };
  approval: ApprovalPart;
  elicitation: ElicitationPart;
  /** Transient: never part of a message (components/chat/tool-progress.tsx). */
  "tool-progress": ToolProgressData;
};

export interface ChatMessageMetadata {
  status?: Message["status"];
  plan_mode?: boolean;
  created_at?: string;
  /** Set once the server confirmed the message (docs/chat-branches.md). */
  parent_id?: string | null;
  /** It and its alternative versions, oldest first. */
  sibling_ids?: string[];
}

export type ChatUIMessage = UIMessage<ChatMessageMetadata, ChatDataTypes>;
export type ChatUIPart = ChatUIMessage["parts"][number];

/** What the stream's `toolMetadata` and stored parts tell about a tool beyond its name. */
export type ToolMetadata = {
  server_id?: string;
  tool_name?: string;
  source?: "builtin" | "mcp" | "workspace_mcp";
};

type ToolPart = Extract<Part, { type: "tool" }>;

/**
 * A tool part as the chat renders it. Live, the AI SDK streams built-ins (static tools) as
 * `tool-<name>` parts and MCP tools as `dynamic-tool`; a reloaded message has only the latter
 * (built from the stored parts). Both render the same way, so the live view shows built-in
 * calls (write_file, ask_user_question…) as they run, exactly as the reloaded one does.
 */
export function renderableToolPart(part: ChatUIPart): DynamicToolUIPart | null {
  if (part.type === "dynamic-tool") return part;
  if (!isStaticToolUIPart(part)) return null;
  const { type: _type, ...rest } = part;
  return {
    ...rest,
    type: "dynamic-tool",
    toolName: getToolName(part),
    toolMetadata: { source: "builtin" },
  } as DynamicToolUIPart;
}

/** The readable text of a tool output, for error messages. */
export function outputText(output: unknown): string {
  if (output === undefined || output === null) return "";
  if (typeof output === "string") return output;
  const own = (output as { text?: unknown }).text;
  if (typeof own === "string") return own;
  const items = Array.isArray(output)
    ? output
    : typeof output === "object" && Array.isArray((output as { content?: unknown }).content)
      ? (output as { content: unknown[] }).content
      : typeof output === "object" && Array.isArray((output as { value?: unknown }).value)
        ? (output as { value: unknown[] }).value
        : null;
  if (items) {
    const texts = items
      .map((i) => (i && typeof i === "object" ? (i as { text?: unknown }).text : undefined))
      .filter((t): t is string => typeof t === "string");
    if (texts.length > 0) return texts.join("\n");
  }
  const value = (output as { value?: unknown }).value;
  if (typeof value === "string") return value;
  return JSON.stringify(output);
}

function toolPart(part: ToolPart): DynamicToolUIPart {
  const metadata: ToolMetadata = {};
  if (part.server_id) metadata.server_id = part.server_id;
  if (part.tool_name) metadata.tool_name = part.tool_name;
  if (part.source !== "mcp") metadata.source = part.source;
  const intent = part.model_intent ?? splitModelIntent(part.input).intent;
  const base = {
    type: "dynamic-tool" as const,
    toolName: part.name,
    toolCallId: part.tool_call_id,
    ...(intent ? { title: intent } : {}),
    ...(Object.keys(metadata).length > 0 ? { toolMetadata: metadata } : {}),
  };
  switch (part.state) {
    case "input-streaming":
      return { ...base, state: "input-streaming", input: part.input };
    case "running":
    case "awaiting-approval":
      // A call waiting for a person shows as not yet run; its approval card sits beside it.
      return { ...base, state: "input-available", input: part.input };
    case "complete":
      return part.is_error
        ? {
            ...base,
            state: "output-error",
            input: part.input,
            errorText: outputText(part.output) || "The tool reported an error.",
          }
        : { ...base, state: "output-available", input: part.input, output: part.output };
    case "error":
      return {
        ...base,
        state: "output-error",
        input: part.input,
        errorText: outputText(part.output) || "The tool call failed.",
      };
    case "denied":
      return {
        ...base,
        state: "output-denied",
        input: part.input,
        approval: {
          id: part.tool_call_id,
          approved: false,
          reason: outputText(part.output) || undefined,
        },
      };
  }
}

function toUIPart(part: Part): ChatUIPart | null {
  switch (part.type) {
    case "text":
      return { type: "text", text: part.text, state: "done" };
    case "reasoning":
      return { type: "reasoning", text: part.text, state: "done" };
    case "tool":
      return toolPart(part);
    case "notice":
      return {
        type: "data-notice",
        data: {
          code: part.code,
          detail: part.detail,
          ...(part.server_id ? { server_id: part.server_id } : {}),
        },
      };
    case "plan":
      return { type: "data-plan", data: { path: part.path, content: part.content } };
    case "approval":
      // The stream sends the same part with the approval's id, so updates replace it.
      return { type: "data-approval", id: part.approval_id, data: part };
    case "elicitation":
      // Likewise by the elicitation's id: the answered state replaces the question.
      return { type: "data-elicitation", id: part.elicitation_id, data: part };
    case "question": {
      // Validated when asked; a malformed stored part is skipped rather than half-rendered.
      const questions = parseQuestions(part.questions);
      return questions ? { type: "data-question", data: { questions } } : null;
    }
    default:
      // A part kind this client does not know yet is skipped rather than breaking the chat.
      return null;
  }
}

type StoredMessage = Message & Partial<Pick<BranchedMessage, "parent_id" | "sibling_ids">>;

const branchOf = (m: StoredMessage): Pick<ChatMessageMetadata, "parent_id" | "sibling_ids"> =>
  m.sibling_ids ? { parent_id: m.parent_id ?? null, sibling_ids: m.sibling_ids } : {};

export function toUIMessages(messages: readonly StoredMessage[]): ChatUIMessage[] {
  return messages.map((m) => ({
    id: m.id,
    role: m.role,
    metadata: {
      status: m.status,
      plan_mode: m.plan_mode,
      created_at: m.created_at,
      ...branchOf(m),
    },
    parts: m.parts.map(toUIPart).filter((p): p is ChatUIPart => p !== null),
  }));
}

/**
 * After a turn: the stored ids and branch data for the messages streamed live (a live question
 * has a client id until then). The live parts stay; when the two lists do not line up (another
 * tab changed the chat), the live ones are left alone.
 */
export function adoptStored(
  live: readonly ChatUIMessage[],
  stored: readonly StoredMessage[],
): ChatUIMessage[] {
  if (live.length !== stored.length || live.some((m, i) => m.role !== stored[i]!.role)) {
    return [...live];
  }
  return live.map((m, i) => {
    const s = stored[i]!;
    return { ...m, id: s.id, metadata: { ...m.metadata, ...branchOf(s) } };
  });
}

/** The text a user typed, for sending only the new message (the server keeps the history). */
export function messageText(message: ChatUIMessage | undefined): string {
  if (!message) return "";
  return message.parts
    .filter((p): p is Extract<ChatUIPart, { type: "text" }> => p.type === "text")
    .map((p) => p.text)
    .join("\n");
}
