// Response shapes of the chat routes and the stored message parts (docs/api.md), produced by
// service.ts, parts.ts and approvals/. Types only: the browser imports them too.
import type { ToolReason } from "@/lib/policy/reasons";

export type ChatStatus = "idle" | "running" | "waiting" | "error";

export interface Chat {
  id: string;
  title: string;
  model: string | null;
  mcp_server_ids: string[];
  workspace_id: string | null;
  parent_chat_id: string | null;
  /** root: the user's own chat; subagent / explore: a sub-agent a turn of the parent spawned. */
  agent_kind: "root" | "subagent" | "explore";
  status: ChatStatus;
  created_at: string;
  updated_at: string;
}

export type ToolPartState =
  "input-streaming" | "running" | "awaiting-approval" | "complete" | "error" | "denied";

export type ApprovalState = "pending" | "approved" | "denied" | "expired";

/** A call that waits for (or waited for) a person: the part and GET /api/chats/:id/approvals. */
export interface ApprovalPart {
  type: "approval";
  approval_id: string;
  tool_call_id: string;
  /** The name the model used. */
  name: string;
  /** The tool's own name on its server. */
  tool_name: string;
  server_id?: string;
  source: "mcp" | "workspace_mcp";
  /** The arguments the model asked for. */
  input: Record<string, unknown>;
  /** The arguments that ran, when the person edited them. */
  approved_input?: Record<string, unknown>;
  model_intent?: string;
  /** The tool's own input schema: the card's form and its client-side check. */
  input_schema: Record<string, unknown>;
  state: ApprovalState;
  decided_by?: string;
  decided_at?: string;
  expires_at: string;
  /** Set when the person allowed the tool in this chat for a while. */
  grant_id?: string;
}

export interface Approval extends Omit<ApprovalPart, "type"> {
  chat_id: string;
  message_id: string;
  created_at: string;
}

export type ElicitationState = "pending" | "accepted" | "declined" | "cancelled" | "expired";

/** A question an MCP server put to the person during a tool call (form or URL mode). */
export interface ElicitationPart {
  type: "elicitation";
  elicitation_id: string;
  tool_call_id: string;
  /** Absent for a workspace server. */
  server_id?: string;
  /** The asking server's display name, for the card. */
  server_name: string;
  mode: "form" | "url";
  message: string;
  requested_schema?: Record<string, unknown>;
  url?: string;
  state: ElicitationState;
  expires_at: string;
  decided_at?: string;
  /** Why no person answered: `plan_mode` (declined at once), `call_ended`, `turn_ended`. */
  reason?: "plan_mode" | "call_ended" | "turn_ended";
}

export interface Elicitation extends Omit<ElicitationPart, "type"> {
  chat_id: string;
  message_id: string;
  created_at: string;
}

export interface ToolGrant {
  id: string;
  chat_id: string;
  source: "mcp" | "workspace_mcp";
  server_id?: string;
  tool_name: string;
  name: string;
  approval_id?: string;
  created_by?: string;
  created_at: string;
  expires_at: string;
  revoked_at?: string;
  active: boolean;
}

export type Part =
  | { type: "text"; text: string }
  /** The model's reasoning, as the provider streamed it; shown collapsed, never sent back. */
  | { type: "reasoning"; text: string }
  | {
      type: "tool";
      tool_call_id: string;
      /** The name the model used (`<slug>__<tool>` for MCP tools). */
      name: string;
      /** The tool's own name on its server, for MCP tools. */
      tool_name?: string;
      server_id?: string;
      source: "builtin" | "mcp" | "workspace_mcp";
      input: unknown;
      model_intent?: string;
      output?: unknown;
      is_error?: boolean;
      state: ToolPartState;
    }
  | { type: "plan"; path: string; content: string }
  | { type: "question"; questions: unknown[] }
  | { type: "notice"; code: string; detail: string; server_id?: string }
  | ApprovalPart
  | ElicitationPart;

export interface Message {
  id: string;
  role: "user" | "assistant";
  plan_mode: boolean;
  created_at: string;
  /** complete, or streaming while its turn runs; error / cancelled / interrupted otherwise. */
  status: "complete" | "streaming" | "error" | "cancelled" | "interrupted";
  parts: Part[];
}

/** A message of `GET /api/chats/:id`: where it sits among the chat's branches. */
export interface BranchedMessage extends Message {
  /** The message it follows; null for the chat's first message. */
  parent_id: string | null;
  /** It and its alternatives (edits of a question, regenerated answers), oldest first. */
  sibling_ids: string[];
}

export interface ChatWithMessages extends Chat {
  /** The branch shown, oldest first (docs/chat-branches.md). */
  messages: BranchedMessage[];
}

/** A row of `GET /api/chats?q=`: the chat, and the message text that matched, if any. */
export interface ChatSearchHit extends Chat {
  search: { snippet: string | null };
}

export interface ChatToolRow {
  name: string;
  source: "builtin" | "mcp" | "workspace_mcp";
  server_id?: string;
  available: boolean;
  /** Why it is hidden (`allowed` when it is not); words in TOOL_REASON_TEXT. */
  reason: ToolReason;
}
