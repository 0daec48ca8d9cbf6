import "server-only";
import { and, count, eq, gt, sql } from "drizzle-orm";
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

/** Failed password sign-ins for one email (by hash) within the last `minutes`. */
export async function countRecentLoginFailures(
  db: Executor,
  emailHash: string,
  minutes: number,
): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.action, "auth.login"),
        eq(auditEvents.outcome, "failure"),
        gt(
          auditEvents.createdAt,
          sql`now() - ${sql.raw(`interval '${Math.floor(minutes)} minutes'`)}`,
        ),
        sql`${auditEvents.detail}->>'email_hash' = ${emailHash}`,
      ),
    );
  return row?.n ?? 0;
}
