import "server-only";
import type { Executor } from "../client";
import { auditEvents, type AuditOutcome } from "../schema";

type AuditValue = string | number | boolean | null | string[];

export interface AuditEntry {
  actorId: string | null;
  action: string;
  targetType: string;
  targetId?: string | null;
  outcome?: AuditOutcome;
  /** Facts and field names only. Never a secret value: the type keeps it to flat scalars. */
  detail?: Record<string, AuditValue>;
}

/** Writes one audit row; pass the transaction that makes the change so both commit together. */
export async function recordAudit(db: Executor, entry: AuditEntry): Promise<void> {
  await db.insert(auditEvents).values({
    actorId: entry.actorId,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId ?? null,
    outcome: entry.outcome ?? "success",
    detail: entry.detail ?? {},
  });
}
