import "server-only";
// The audit trail of tool calls: one row per call the model makes, whatever became of it. Only
// the SHA-256 of the canonical arguments (RFC 8785) is kept, never the arguments, the result or
// a secret. A failed audit write is logged loudly but does not fail the user's turn: the call it
// records has already happened (or been refused) by then.
import { createHash } from "node:crypto";
import canonicalize from "canonicalize";
import type { Executor } from "@/db/client";
import { loggableError } from "@/db/queries/errors";
import { insertToolAudit, setToolAuditOutcome } from "@/db/queries/tool-audit";
import type { ToolAuditDecision, ToolAuditOutcome } from "@/db/schema-tool-calls";
import type { AgentKind } from "@/lib/policy/tool-policy";

/** `sha256` of the canonical JSON of a call's arguments. */
export function inputSha256(input: unknown): string {
  const text = canonicalize(input ?? {}) ?? "null";
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** Who and where: the same for every call of a turn. */
export interface AuditTurn {
  userId: string;
  userEmail: string;
  chatId: string;
  turnId: string;
  planMode: boolean;
  agent: AgentKind;
}

/** What is known of one call. */
export interface AuditCall {
  toolCallId: string;
  source: "builtin" | "mcp" | "workspace_mcp";
  /** The tool's own name (on its server, for MCP tools). */
  tool: string;
  serverId?: string;
  serverSlug?: string;
  definitionHash?: string;
  modelIntent?: string;
  /** Hashed here; never stored. */
  input: unknown;
}

export interface AuditVerdict {
  decision: ToolAuditDecision;
  decidedBy?: string | null;
  reason?: string | null;
}

export interface AuditResult {
  outcome: ToolAuditOutcome;
  errorCode?: string | null;
  durationMs?: number | null;
}

export function auditRow(
  turn: AuditTurn,
  call: AuditCall,
  verdict: AuditVerdict,
  result: AuditResult,
  id?: string,
) {
  return {
    ...(id !== undefined && { id }),
    userId: turn.userId,
    userEmail: turn.userEmail,
    chatId: turn.chatId,
    turnId: turn.turnId,
    toolCallId: call.toolCallId,
    serverId: call.serverId ?? null,
    serverSlug: call.serverSlug ?? null,
    source: call.source,
    tool: call.tool,
    definitionHash: call.definitionHash ?? null,
    planMode: turn.planMode,
    agent: turn.agent,
    modelIntent: call.modelIntent ?? null,
    inputSha256: inputSha256(call.input),
    decision: verdict.decision,
    decidedBy: verdict.decidedBy ?? null,
    reason: verdict.reason ?? null,
    outcome: result.outcome,
    errorCode: result.errorCode ?? null,
    durationMs: result.durationMs ?? null,
  };
}

/** An error code as the audit's outcome: a timeout is told apart from other failures. */
export function outcomeOfError(code: string | undefined): ToolAuditOutcome {
  return code !== undefined && /timeout|timed_out/.test(code) ? "timeout" : "error";
}

/**
 * Writes the turn's audit rows. A write is started, not awaited, by the call it records (the
 * model's next request need not wait for it); the turn awaits them all (`written`) before it
 * ends, so a finished turn's rows are all there.
 */
export class ToolAuditWriter {
  private readonly writes = new Set<Promise<void>>();

  constructor(
    private readonly db: Executor,
    readonly turn: AuditTurn,
  ) {}

  private track(write: Promise<void>): void {
    this.writes.add(write);
    void write.finally(() => this.writes.delete(write));
  }

  record(call: AuditCall, verdict: AuditVerdict, result: AuditResult): void {
    this.track(
      insertToolAudit(this.db, auditRow(this.turn, call, verdict, result)).catch((err: unknown) => {
        console.error(`[audit] tool call ${call.toolCallId}: write failed:`, loggableError(err));
      }),
    );
  }

  /** The outcome of a call whose row was written when a person approved it. */
  settle(id: string, result: AuditResult): void {
    this.track(
      setToolAuditOutcome(this.db, id, {
        outcome: result.outcome,
        errorCode: result.errorCode ?? null,
        durationMs: result.durationMs ?? null,
      }).catch((err: unknown) => {
        console.error(`[audit] approved call ${id}: outcome write failed:`, loggableError(err));
      }),
    );
  }

  /** Resolves once every write started so far is done (failed writes were logged). */
  async written(): Promise<void> {
    while (this.writes.size > 0) await Promise.all([...this.writes]);
  }
}
