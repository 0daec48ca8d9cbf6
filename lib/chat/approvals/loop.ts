import "server-only";
// What a turn's tools need of the person in the loop: which calls a person already answered
// (the turn carrying those answers runs them without asking again), which calls asked in this
// turn (the runner stores each as a pending request), grants that let a tool run unasked, and
// the turn's audit writer. See docs/paused-turns.md.
import type { Executor } from "@/db/client";
import { findActiveGrant, type ToolGrantRow } from "@/db/queries/tool-grants";
import type { ElicitationSink, InputRoundStore } from "@/lib/mcp/elicitation-scope";
import type { AgentKind } from "@/lib/policy/tool-policy";
import type { ToolAuditWriter } from "../tool-audit";

/** A call a person answered; the turn that carries the answer reads it. */
export interface AnsweredCall {
  approvalId: string;
  approved: boolean;
  decidedBy: string | null;
}

/** What the approval card shows and the answer is checked against. */
export interface ApprovalAsk {
  toolCallId: string;
  /** The name the model used. */
  name: string;
  source: "mcp" | "workspace_mcp";
  serverId?: string;
  serverSlug?: string;
  /** The tool's own name on its server. */
  toolName: string;
  definitionHash?: string;
  /** The arguments, without the model's intent field. */
  input: Record<string, unknown>;
  modelIntent?: string;
  /** The tool's own input schema: an edited input is validated against it. */
  inputSchema: Record<string, unknown>;
}

/** A tool call whose server may ask the person something (MCP elicitation). */
export interface ElicitingCall {
  toolCallId: string;
  serverId?: string;
  serverSlug?: string;
}

export interface GrantKey {
  source: "mcp" | "workspace_mcp";
  serverId: string | null;
  toolName: string;
}

export interface TurnLoop {
  agent: AgentKind;
  audit: ToolAuditWriter;
  answered: ReadonlyMap<string, AnsweredCall>;
  /** Calls that asked for a person in this turn, by call id. */
  requested: Map<string, ApprovalAsk>;
  /** Calls that run under a grant, by call id. */
  granted: Map<string, ToolGrantRow>;
  grantFor(key: GrantKey): Promise<ToolGrantRow | undefined>;
  /** Who answers an MCP server's questions during one of this turn's calls. */
  elicit?: (call: ElicitingCall) => ElicitationSink;
  /** Where a 2026-07-28 call keeps its round state while its questions wait. */
  inputRounds?: (call: ElicitingCall) => InputRoundStore;
}

export function createTurnLoop(
  db: Executor,
  opts: {
    agent: AgentKind;
    /** Grants are the root chat's: they cover its sub-agents too. */
    rootChatId: string;
    audit: ToolAuditWriter;
    answered?: ReadonlyMap<string, AnsweredCall>;
    elicit?: (call: ElicitingCall) => ElicitationSink;
    inputRounds?: (call: ElicitingCall) => InputRoundStore;
  },
): TurnLoop {
  return {
    ...(opts.elicit && { elicit: opts.elicit }),
    ...(opts.inputRounds && { inputRounds: opts.inputRounds }),
    agent: opts.agent,
    audit: opts.audit,
    answered: opts.answered ?? new Map(),
    requested: new Map(),
    granted: new Map(),
    grantFor: (key) => findActiveGrant(db, opts.rootChatId, key),
  };
}

/** Sentences the model reads when a call did not run for want of a yes. */
export const DECLINED_TEXT = "The person declined this tool call. It did not run.";
export const EXPIRED_TEXT =
  "No one approved this tool call in time, so it counts as declined. It did not run.";
export const SUPERSEDED_TEXT =
  "The person sent a new message instead of answering; this tool call was declined and did not run.";
export const STOPPED_TEXT =
  "The person stopped the chat instead of answering; this tool call was declined and did not run.";
export const SUBAGENT_REFUSAL =
  "needs a person's approval for every call, and a sub-agent cannot ask for one. Ask the parent agent to call it, or ask the user to allow it in this chat";
