// Every reason a tool can be hidden from a turn or refused at execution, in one typed union
// with the words a user reads. The policy's own reasons come first; the rest are decided
// around it (credentials, a server that does not answer, a name already taken, the tool caps,
// a config changed mid-turn). Used by the tools explainer, the admin's test-connection
// preview and the tool.denied notices, so the same reason always reads the same. Pure.
import { REASON_TEXT, type PolicyReason } from "./tool-policy";

export type ToolReason =
  | PolicyReason
  /** The user has no usable credentials for the server (connect the account). */
  | "auth_required"
  /** The server could not be listed, or its stored credentials could not be read. */
  | "server_unavailable"
  /** A built-in or an admin server's tool already holds the exposed name. */
  | "name_clash"
  /** Past MCP_MAX_TOOLS_PER_SERVER. */
  | "too_many_tools_on_server"
  /** Past MCP_MAX_TOOLS_PER_TURN. */
  | "too_many_tools_in_turn"
  /** The server's config changed between the offer and the call. */
  | "config_changed"
  /** The model called a tool the turn never offered. */
  | "not_offered"
  /** Rule "approval": the call needs a person's approval first. */
  | "approval_required";

export const TOOL_REASON_TEXT: Record<ToolReason, string> = {
  ...REASON_TEXT,
  auth_required: "Connect your account to this server to use it",
  server_unavailable: "The server is unavailable right now",
  name_clash: "Another tool already has this name",
  too_many_tools_on_server: "Past the limit of tools one server may offer in a turn",
  too_many_tools_in_turn: "Past the limit of tools one turn may offer",
  config_changed: "The server's configuration changed since the tools were offered",
  not_offered: "It is not offered in this chat",
  approval_required: "Each call needs a person's approval",
};

export function isToolReason(value: string): value is ToolReason {
  return Object.hasOwn(TOOL_REASON_TEXT, value);
}

/** The reason in words; a code from a newer server stays readable. */
export function toolReasonText(reason: string): string {
  return isToolReason(reason) ? TOOL_REASON_TEXT[reason] : reason.replace(/[_.]/g, " ");
}
