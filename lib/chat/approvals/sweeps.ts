import "server-only";
// Background work of the person in the loop, safe with several instances:
// - expiry: approvals past APPROVAL_TIMEOUT_S are expired (each row claimed by one instance's
//   update) and their turns resumed; answers whose resume was lost (an instance died between
//   the decision and the resume) are picked up too. Reads and answers also expire lazily.
//   Spent or expired round states of 2026-07-28 tool calls (mcp_input_rounds) are deleted.
// - retention: once a day, anywhere, tool-call audit rows older than AUDIT_RETENTION_DAYS are
//   deleted; the `job_runs` row is the claim, so two instances never both run it.
import type { Database } from "@/db/client";
import { loggableError } from "@/db/queries/errors";
import { deleteSpentInputRounds } from "@/db/queries/input-rounds";
import { claimJobRun, deleteToolAuditBefore } from "@/db/queries/tool-audit";
import { getEnv } from "@/lib/env";
import { resumeAnswered } from "../turn-runner";
import { cancelOrphanElicitations } from "../elicitations/store";
import { expireDue } from "./decide";
import { syncApprovalParts } from "./store";

export const EXPIRY_SWEEP_MS = 15_000;
export const RETENTION_CHECK_MS = 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Expires what is due and resumes every chat whose answers wait for a turn. */
export async function sweepApprovals(db: Database): Promise<number> {
  // Questions of turns that died with their instance (the server's call is gone).
  const orphans = await cancelOrphanElicitations(db);
  if (orphans.length > 0) await syncApprovalParts(db, orphans);
  // Round states of 2026-07-28 calls already retried, or whose call is long gone.
  await deleteSpentInputRounds(db);
  const expired = await expireDue(db);
  // One resume per chat per pass; a chat still busy is picked up by a later pass.
  for (let i = 0; i < 50; i += 1) {
    const started = await resumeAnswered(db);
    if (!started) break;
  }
  return expired.length;
}

/** Deletes audit rows past retention, at most once a day across all instances. */
export async function sweepAuditRetention(db: Database, now = new Date()): Promise<number | null> {
  if (!(await claimJobRun(db, "tool_audit_retention", DAY_MS - 60_000))) return null;
  const before = new Date(now.getTime() - getEnv().AUDIT_RETENTION_DAYS * DAY_MS);
  return deleteToolAuditBefore(db, before);
}

export function startApprovalSweeps(db: Database): void {
  const run = (name: string, job: () => Promise<unknown>) => () =>
    void job().catch((err: unknown) =>
      console.error(`[toolgate] ${name} sweep failed:`, loggableError(err)),
    );
  const approvals = run("approval", () => sweepApprovals(db));
  const retention = run("audit retention", async () => {
    const deleted = await sweepAuditRetention(db);
    if (deleted) console.log(`[toolgate] deleted ${deleted} tool-call audit row(s) past retention`);
  });
  approvals();
  retention();
  setInterval(approvals, EXPIRY_SWEEP_MS).unref();
  setInterval(retention, RETENTION_CHECK_MS).unref();
}
