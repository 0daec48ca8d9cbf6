// A call the policy refuses at execution time (docs/security.md, point 2) is not a failure of the
// turn: the model gets an error result saying the tool is not available and why, the part is
// marked "denied", and the user one `tool.denied` notice. Nothing is thrown, so nothing is
// logged as a server error.
import { TOOL_REASON_TEXT, type ToolReason } from "@/lib/policy/reasons";
import type { ToolFailure } from "./builtins/refusal";
import type { Notice } from "./mcp-notices";

export const TOOL_DENIED = "tool.denied";

export interface DeniedCallContext {
  /** Call ids the policy refused; the parts builder marks their parts "denied". */
  denied: Set<string>;
  onNotice?: (notice: Notice) => void;
}

/** A reason as words in the middle of a sentence. */
function worded(reason: ToolReason): string {
  const text = TOOL_REASON_TEXT[reason];
  return text.charAt(0).toLowerCase() + text.slice(1);
}

export function deniedText(exposedName: string, reason: ToolReason): string {
  return `The tool ${exposedName} is not available: ${worded(reason)}.`;
}

/** Records a refused call and returns the error result the model and the part get. */
export function denyCall(
  ctx: DeniedCallContext,
  call: { toolCallId: string; exposedName: string; reason: ToolReason; serverId?: string },
): ToolFailure {
  ctx.denied.add(call.toolCallId);
  const text = deniedText(call.exposedName, call.reason);
  ctx.onNotice?.({
    code: TOOL_DENIED,
    detail: text,
    ...(call.serverId !== undefined && { server_id: call.serverId }),
  });
  return { is_error: true, code: TOOL_DENIED, text };
}
