// A stored message as UI stream chunks. A turn that continues a paused message starts its
// stream with these, so its stream, like every turn's, describes the whole message: a client
// that follows it (the AI SDK's resume replays a turn's stream from its start and rebuilds the
// message from it) shows what a reload shows.
import type { Part } from "@/lib/chat/wire";

export function replayChunks(parts: readonly Part[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  let textNo = 0;
  // A call a person approved with edited arguments runs with those: show them.
  const edited = new Map<string, unknown>();
  for (const p of parts) {
    if (p.type === "approval" && p.approved_input) edited.set(p.tool_call_id, p.approved_input);
  }
  for (const part of parts) {
    switch (part.type) {
      case "text": {
        const id = `replay-${(textNo += 1)}`;
        out.push({ type: "text-start", id });
        out.push({ type: "text-delta", id, delta: part.text });
        out.push({ type: "text-end", id });
        break;
      }
      case "reasoning": {
        const id = `replay-${(textNo += 1)}`;
        out.push({ type: "reasoning-start", id });
        out.push({ type: "reasoning-delta", id, delta: part.text });
        out.push({ type: "reasoning-end", id });
        break;
      }
      case "tool": {
        if (part.state === "input-streaming") break;
        const metadata: Record<string, string> = {};
        if (part.source !== "builtin") metadata.source = part.source;
        if (part.server_id) metadata.server_id = part.server_id;
        if (part.tool_name) metadata.tool_name = part.tool_name;
        const common = { toolCallId: part.tool_call_id, dynamic: true };
        const input = edited.get(part.tool_call_id) ?? part.input;
        out.push({
          type: "tool-input-available",
          ...common,
          toolName: part.name,
          input: part.model_intent
            ? { model_intent: part.model_intent, properties: input }
            : (input ?? {}),
          ...(Object.keys(metadata).length > 0 && { toolMetadata: metadata }),
        });
        if (part.state === "complete" && !part.is_error) {
          out.push({ type: "tool-output-available", ...common, output: part.output ?? null });
        } else if (part.state === "complete" || part.state === "error" || part.state === "denied") {
          // An error result's own words, as a reload shows them (components/chat/message-convert.ts).
          const own = (part.output as { text?: unknown } | null | undefined)?.text;
          const text =
            typeof part.output === "string"
              ? part.output
              : typeof own === "string"
                ? own
                : JSON.stringify(part.output);
          out.push({ type: "tool-output-error", ...common, errorText: text || "The call failed." });
        }
        break;
      }
      case "approval":
        out.push({ type: "data-approval", id: part.approval_id, data: part });
        break;
      case "elicitation":
        out.push({ type: "data-elicitation", id: part.elicitation_id, data: part });
        break;
      case "notice": {
        const { type: _type, ...data } = part;
        out.push({ type: "data-notice", data });
        break;
      }
      case "plan":
        out.push({ type: "data-plan", data: { path: part.path, content: part.content } });
        break;
      case "question":
        out.push({ type: "data-question", data: { questions: part.questions } });
        break;
    }
  }
  return out;
}
