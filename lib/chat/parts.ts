import type { ApprovalPart, ElicitationPart, Part } from "@/lib/chat/wire";

export interface ToolOrigin {
  source: "builtin" | "mcp" | "workspace_mcp";
  serverId?: string;
  /** The tool's own name on its server. */
  toolName?: string;
}

type ToolPart = Extract<Part, { type: "tool" }>;

function splitIntent(input: unknown): { input: unknown; intent?: string } {
  if (!input || typeof input !== "object" || Array.isArray(input)) return { input };
  const record = input as Record<string, unknown>;
  if (typeof record.model_intent !== "string") return { input };
  const { model_intent: intent, ...rest } = record;
  const args =
    rest.properties && typeof rest.properties === "object" && Object.keys(rest).length === 1
      ? rest.properties
      : rest;
  return { input: args, intent: intent as string };
}

/**
 * Folds the UI message stream of a turn into the contract's stored `Part[]`, so a reopened
 * chat shows exactly what was streamed.
 */
export class PartsBuilder {
  readonly parts: Part[] = [];
  private readonly texts = new Map<string, { type: "text" | "reasoning"; text: string }>();
  private readonly tools = new Map<string, ToolPart>();

  /** Why a call did not run for want of a yes (tool-output-denied), by call id. */
  readonly declined = new Map<string, string>();

  constructor(
    private readonly origin: (toolName: string) => ToolOrigin | undefined,
    private readonly denied: ReadonlySet<string> = new Set(),
    /** The stored parts of the message this turn continues (after a person answered). */
    initial: readonly Part[] = [],
  ) {
    for (const part of initial) {
      const copy = structuredClone(part);
      this.parts.push(copy);
      if (copy.type === "tool") this.tools.set(copy.tool_call_id, copy);
    }
  }

  /** The message's approval parts that still wait for a person. */
  pendingApprovals(): ApprovalPart[] {
    return this.parts.filter(
      (p): p is ApprovalPart => p.type === "approval" && p.state === "pending",
    );
  }

  private approval(data: ApprovalPart): void {
    const at = this.parts.findIndex(
      (p) => p.type === "approval" && p.approval_id === data.approval_id,
    );
    const part = { ...data, type: "approval" as const };
    if (at >= 0) this.parts[at] = part;
    else this.parts.push(part);
    const tool = this.tools.get(data.tool_call_id);
    if (!tool) return;
    if (data.state === "pending") tool.state = "awaiting-approval";
    else if (data.state === "approved") {
      tool.state = "running";
      if (data.approved_input) tool.input = data.approved_input;
    }
  }

  private tool(id: string, name: string): ToolPart {
    let part = this.tools.get(id);
    if (!part) {
      const origin = this.origin(name);
      part = {
        type: "tool",
        tool_call_id: id,
        name,
        source: origin?.source ?? "builtin",
        input: undefined,
        state: "input-streaming",
        ...(origin?.toolName ? { tool_name: origin.toolName } : {}),
        ...(origin?.serverId ? { server_id: origin.serverId } : {}),
      };
      this.tools.set(id, part);
      this.parts.push(part);
    }
    return part;
  }

  apply(chunk: Record<string, unknown>): void {
    const type = chunk.type as string;
    const id = String(chunk.id ?? chunk.toolCallId ?? "");
    switch (type) {
      case "text-start": {
        const part = { type: "text" as const, text: "" };
        this.texts.set(id, part);
        this.parts.push(part);
        break;
      }
      case "text-delta": {
        const part = this.texts.get(id);
        if (part) part.text += String(chunk.delta ?? "");
        break;
      }
      case "reasoning-start": {
        // Its own key space: a provider may reuse a text part's id for reasoning.
        const part = { type: "reasoning" as const, text: "" };
        this.texts.set(`reasoning:${id}`, part);
        this.parts.push(part);
        break;
      }
      case "reasoning-delta": {
        const part = this.texts.get(`reasoning:${id}`);
        if (part) part.text += String(chunk.delta ?? "");
        break;
      }
      case "tool-input-start":
        this.tool(id, String(chunk.toolName));
        break;
      case "tool-input-available":
      case "tool-input-error": {
        const part = this.tool(id, String(chunk.toolName));
        const { input, intent } = splitIntent(chunk.input);
        part.input = input;
        if (intent) part.model_intent = intent;
        if (type === "tool-input-error") {
          part.state = "error";
          part.is_error = true;
          part.output = chunk.errorText;
        } else {
          part.state = "running";
        }
        break;
      }
      case "tool-output-available": {
        const part = this.tools.get(id);
        if (!part) break;
        part.output = chunk.output;
        const isError = Boolean((chunk.output as { is_error?: unknown } | undefined)?.is_error);
        // A call the policy refused at execution returns an error result, marked as denied.
        part.state = this.denied.has(id) ? "denied" : isError ? "error" : "complete";
        if (isError) part.is_error = true;
        break;
      }
      case "tool-output-error": {
        const part = this.tools.get(id);
        if (!part) break;
        part.output = chunk.errorText;
        part.is_error = true;
        part.state = this.denied.has(id) ? "denied" : "error";
        break;
      }
      case "data-plan": {
        const data = chunk.data as { path: string; content: string };
        this.parts.push({ type: "plan", path: data.path, content: data.content });
        break;
      }
      case "data-question": {
        const data = chunk.data as { questions: unknown[] };
        this.parts.push({ type: "question", questions: data.questions });
        break;
      }
      case "data-approval":
        this.approval(chunk.data as ApprovalPart);
        break;
      case "data-elicitation": {
        const data = { ...(chunk.data as ElicitationPart), type: "elicitation" as const };
        const at = this.parts.findIndex(
          (p) => p.type === "elicitation" && p.elicitation_id === data.elicitation_id,
        );
        if (at >= 0) this.parts[at] = data;
        else this.parts.push(data);
        break;
      }
      case "tool-output-denied": {
        const part = this.tools.get(id);
        if (!part) break;
        part.state = "denied";
        part.is_error = true;
        part.output = this.declined.get(id) ?? "The person declined this call.";
        break;
      }
      case "data-notice": {
        const data = chunk.data as { code: string; detail: string; server_id?: string };
        this.parts.push({ type: "notice", ...data });
        break;
      }
      default:
        break;
    }
  }

  /** Tool calls still running when the turn stopped are marked as errors, not left spinning. */
  settle(reason: string): void {
    for (const part of this.tools.values()) {
      if (part.state === "running" || part.state === "input-streaming") {
        part.state = "error";
        part.is_error = true;
        part.output ??= reason;
      }
    }
  }
}
