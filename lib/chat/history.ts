import type { ModelMessage } from "ai";
import type { MessageRow } from "@/db/queries/chats";
import type { Part } from "@/lib/chat/wire";

function outputText(output: unknown): string {
  if (typeof output === "string") return output;
  if (
    output &&
    typeof output === "object" &&
    typeof (output as { text?: unknown }).text === "string"
  ) {
    return (output as { text: string }).text;
  }
  return JSON.stringify(output ?? null);
}

/** A person's answer to a paused call, carried to the model by the turn that continues. */
export interface CarriedAnswer {
  approvalId: string;
  approved: boolean;
  /** Edited arguments (without the intent field); absent: as the model asked. */
  input?: Record<string, unknown>;
  /** What the model reads when the call did not run. */
  reason: string;
}

/**
 * Stored messages → the model's conversation. Tool calls keep the name the model used, with
 * the input it sent (model_intent folded back in), so the history reads as it happened.
 */
export function toModelMessages(
  rows: MessageRow[],
  answers: ReadonlyMap<string, CarriedAnswer> = new Map(),
): ModelMessage[] {
  const out: ModelMessage[] = [];
  for (const row of rows) {
    const parts = row.parts as Part[];
    if (row.role === "user") {
      const text = parts
        .filter((p): p is Extract<Part, { type: "text" }> => p.type === "text")
        .map((p) => p.text)
        .join("\n");
      if (text) out.push({ role: "user", content: text });
      continue;
    }
    // A step is text and tool calls, then their results: text after a tool call starts the
    // next step, so results always follow the call that asked for them.
    let content: Exclude<Extract<ModelMessage, { role: "assistant" }>["content"], string> = [];
    let results: Extract<ModelMessage, { role: "tool" }>["content"] = [];
    // Approval answers go last, in the conversation's final tool message: the SDK runs the
    // approved calls (and reports the declined ones) before it asks the model again.
    const flush = () => {
      if (content.length > 0) out.push({ role: "assistant", content });
      if (results.length > 0) out.push({ role: "tool", content: results });
      content = [];
      results = [];
    };
    for (const part of parts) {
      if (part.type === "text" && part.text) {
        if (results.length > 0) flush();
        content.push({ type: "text", text: part.text });
      }
      if (part.type === "plan")
        content.push({ type: "text", text: `Proposed plan (${part.path}):\n${part.content}` });
      if (part.type === "tool" && part.state !== "input-streaming") {
        const answer =
          part.state === "awaiting-approval" ? answers.get(part.tool_call_id) : undefined;
        const args = answer?.input ?? part.input;
        const input = part.model_intent
          ? { model_intent: part.model_intent, properties: args }
          : args;
        content.push({
          type: "tool-call",
          toolCallId: part.tool_call_id,
          toolName: part.name,
          input: input ?? {},
        });
        if (answer) {
          content.push({
            type: "tool-approval-request",
            approvalId: answer.approvalId,
            toolCallId: part.tool_call_id,
          });
          results.push({
            type: "tool-approval-response",
            approvalId: answer.approvalId,
            approved: answer.approved,
            ...(answer.approved ? {} : { reason: answer.reason }),
          });
          continue;
        }
        const value =
          part.state === "running"
            ? "The call did not finish."
            : part.state === "awaiting-approval"
              ? "The call did not run: no one answered its approval request."
              : outputText(part.output);
        results.push({
          type: "tool-result",
          toolCallId: part.tool_call_id,
          toolName: part.name,
          output:
            part.is_error || part.state !== "complete"
              ? { type: "error-text", value }
              : { type: "text", value },
        });
      }
    }
    flush();
  }
  return out;
}
