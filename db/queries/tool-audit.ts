import "server-only";
import { and, desc, eq, gte, lt, lte, or, sql } from "drizzle-orm";
import { rowsOf, type Executor } from "../client";
import { toolCallAudit, type ToolAuditDecision, type ToolAuditOutcome } from "../schema-tool-calls";

export type ToolAuditRow = typeof toolCallAudit.$inferSelect;
export type ToolAuditInsert = typeof toolCallAudit.$inferInsert;

/** Writes one row; pass the transaction of the state it records so both commit together. */
export async function insertToolAudit(db: Executor, row: ToolAuditInsert): Promise<void> {
  await db.insert(toolCallAudit).values(row);
}

/** The outcome of an approved call, once it ran (the row was written when it was approved). */
export async function setToolAuditOutcome(
  db: Executor,
  id: string,
  result: { outcome: ToolAuditOutcome; errorCode: string | null; durationMs: number | null },
): Promise<void> {
  await db.update(toolCallAudit).set(result).where(eq(toolCallAudit.id, id));
}

export interface ToolAuditFilter {
  userId?: string;
  serverId?: string;
  tool?: string;
  decision?: ToolAuditDecision;
  outcome?: ToolAuditOutcome;
  from?: Date;
  to?: Date;
}

/** Newest first; the cursor is the last row of the previous page. */
export interface ToolAuditCursor {
  at: Date;
  id: string;
}

function where(filter: ToolAuditFilter, cursor?: ToolAuditCursor) {
  return and(
    filter.userId ? eq(toolCallAudit.userId, filter.userId) : undefined,
    filter.serverId ? eq(toolCallAudit.serverId, filter.serverId) : undefined,
    filter.tool ? eq(toolCallAudit.tool, filter.tool) : undefined,
    filter.decision ? eq(toolCallAudit.decision, filter.decision) : undefined,
    filter.outcome ? eq(toolCallAudit.outcome, filter.outcome) : undefined,
    filter.from ? gte(toolCallAudit.at, filter.from) : undefined,
    filter.to ? lte(toolCallAudit.at, filter.to) : undefined,
    cursor
      ? or(
          lt(toolCallAudit.at, cursor.at),
          and(eq(toolCallAudit.at, cursor.at), lt(toolCallAudit.id, cursor.id)),
        )
      : undefined,
  );
}

export async function listToolAudit(
  db: Executor,
  filter: ToolAuditFilter,
  opts: { limit: number; cursor?: ToolAuditCursor },
): Promise<ToolAuditRow[]> {
  return db
    .select()
    .from(toolCallAudit)
    .where(where(filter, opts.cursor))
    .orderBy(desc(toolCallAudit.at), desc(toolCallAudit.id))
    .limit(opts.limit);
}

/**
 * Every matching row, in pages read one after the other (keyset, never OFFSET): an export of a
 * year of rows holds one page in memory at a time.
 */
export async function* walkToolAudit(
  db: Executor,
  filter: ToolAuditFilter,
  pageSize = 1000,
): AsyncGenerator<ToolAuditRow> {
  let cursor: ToolAuditCursor | undefined;
  for (;;) {
    const page = await listToolAudit(db, filter, {
      limit: pageSize,
      ...(cursor && { cursor }),
    });
    for (const row of page) yield row;
    if (page.length < pageSize) return;
    const last = page.at(-1)!;
    cursor = { at: last.at, id: last.id };
  }
}

/** Deletes rows older than `before`; returns how many. */
export async function deleteToolAuditBefore(db: Executor, before: Date): Promise<number> {
  const rows = await db
    .delete(toolCallAudit)
    .where(lt(toolCallAudit.at, before))
    .returning({ id: toolCallAudit.id });
  return rows.length;
}

/** Claims a periodic job: true when it last ran (anywhere) more than `everyMs` ago. */
export async function claimJobRun(db: Executor, name: string, everyMs: number): Promise<boolean> {
  const result = await db.execute(sql`
    insert into job_runs (name, last_run_at) values (${name}, now())
    on conflict (name) do update set last_run_at = now()
      where job_runs.last_run_at < now() - make_interval(secs => ${Math.floor(everyMs / 1000)})
    returning name`);
  return rowsOf(result).length > 0;
}
