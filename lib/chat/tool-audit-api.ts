import "server-only";
// The admin's view of the tool-call audit: filtered, cursor-paginated pages and streamed
// exports (JSONL or CSV). Rows are read in keyset pages straight from the database into the
// response, so an export of a year of calls holds one page in memory at a time.
import type { Executor } from "@/db/client";
import {
  listToolAudit,
  walkToolAudit,
  type ToolAuditCursor,
  type ToolAuditFilter,
  type ToolAuditRow,
} from "@/db/queries/tool-audit";
import type { ToolAuditDecision, ToolAuditOutcome } from "@/db/schema-tool-calls";
import { ApiError } from "@/lib/errors";

export interface ToolAuditItem {
  id: string;
  at: string;
  user: { id: string; email: string };
  chat_id: string;
  turn_id: string;
  tool_call_id: string;
  server_id?: string;
  server_slug?: string;
  source: "builtin" | "mcp" | "workspace_mcp";
  tool: string;
  definition_hash?: string;
  plan_mode: boolean;
  agent: "root" | "subagent" | "explore";
  model_intent?: string;
  input_sha256: string;
  decision: ToolAuditDecision;
  decided_by?: string;
  reason?: string;
  outcome: ToolAuditOutcome;
  error_code?: string;
  duration_ms?: number;
}

export function toolAuditJson(row: ToolAuditRow): ToolAuditItem {
  const optional = <K extends string, V>(key: K, value: V | null) =>
    (value === null ? {} : { [key]: value }) as Partial<Record<K, V>>;
  return {
    id: row.id,
    at: row.at.toISOString(),
    user: { id: row.userId, email: row.userEmail },
    chat_id: row.chatId,
    turn_id: row.turnId,
    tool_call_id: row.toolCallId,
    ...optional("server_id", row.serverId),
    ...optional("server_slug", row.serverSlug),
    source: row.source,
    tool: row.tool,
    ...optional("definition_hash", row.definitionHash),
    plan_mode: row.planMode,
    agent: row.agent,
    ...optional("model_intent", row.modelIntent),
    input_sha256: row.inputSha256,
    decision: row.decision,
    ...optional("decided_by", row.decidedBy),
    ...optional("reason", row.reason),
    outcome: row.outcome,
    ...optional("error_code", row.errorCode),
    ...optional("duration_ms", row.durationMs),
  };
}

export interface ToolAuditQuery {
  user_id?: string | undefined;
  server_id?: string | undefined;
  tool?: string | undefined;
  decision?: ToolAuditDecision | undefined;
  outcome?: ToolAuditOutcome | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

export function filterOf(q: ToolAuditQuery): ToolAuditFilter {
  return {
    ...(q.user_id && { userId: q.user_id }),
    ...(q.server_id && { serverId: q.server_id }),
    ...(q.tool && { tool: q.tool }),
    ...(q.decision && { decision: q.decision }),
    ...(q.outcome && { outcome: q.outcome }),
    ...(q.from && { from: new Date(q.from) }),
    ...(q.to && { to: new Date(q.to) }),
  };
}

const badCursor = () =>
  new ApiError(400, "validation.cursor", "The cursor is not one this API handed out.", [
    { field: "cursor", detail: "unknown cursor" },
  ]);

function encodeCursor(row: ToolAuditRow): string {
  return Buffer.from(`${row.at.toISOString()}|${row.id}`).toString("base64url");
}

function decodeCursor(cursor: string): ToolAuditCursor {
  const [at, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const date = new Date(at ?? "");
  if (!id || Number.isNaN(date.getTime()) || !/^[0-9a-f-]{36}$/i.test(id)) throw badCursor();
  return { at: date, id };
}

export async function listToolCalls(
  db: Executor,
  q: ToolAuditQuery & { cursor?: string | undefined; limit: number },
): Promise<{ items: ToolAuditItem[]; next_cursor: string | null }> {
  const rows = await listToolAudit(db, filterOf(q), {
    limit: q.limit + 1,
    ...(q.cursor && { cursor: decodeCursor(q.cursor) }),
  });
  const page = rows.slice(0, q.limit);
  return {
    items: page.map(toolAuditJson),
    next_cursor: rows.length > q.limit ? encodeCursor(page.at(-1)!) : null,
  };
}

export const CSV_COLUMNS = [
  "id",
  "at",
  "user_id",
  "user_email",
  "chat_id",
  "turn_id",
  "tool_call_id",
  "server_id",
  "server_slug",
  "source",
  "tool",
  "definition_hash",
  "plan_mode",
  "agent",
  "model_intent",
  "input_sha256",
  "decision",
  "decided_by",
  "reason",
  "outcome",
  "error_code",
  "duration_ms",
] as const;

/**
 * One CSV cell (RFC 4180). A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR:
 * the model's intent is model-written text) gets a leading apostrophe.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvLine(item: ToolAuditItem): string {
  const flat: Record<string, unknown> = {
    ...item,
    user_id: item.user.id,
    user_email: item.user.email,
  };
  return `${CSV_COLUMNS.map((c) => csvCell(flat[c])).join(",")}\r\n`;
}

/** The export as a byte stream, pulled page by page as the client reads. */
export function exportToolCalls(
  db: Executor,
  q: ToolAuditQuery,
  format: "jsonl" | "csv",
): ReadableStream<Uint8Array> {
  const rows = walkToolAudit(db, filterOf(q));
  const encoder = new TextEncoder();
  let headerSent = format !== "csv";
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!headerSent) {
          headerSent = true;
          controller.enqueue(encoder.encode(`${CSV_COLUMNS.join(",")}\r\n`));
          return;
        }
        // A batch of rows per pull: fewer, larger chunks.
        let text = "";
        for (let i = 0; i < 200; i += 1) {
          const next = await rows.next();
          if (next.done) {
            if (text) controller.enqueue(encoder.encode(text));
            controller.close();
            return;
          }
          const item = toolAuditJson(next.value);
          text += format === "csv" ? csvLine(item) : `${JSON.stringify(item)}\n`;
        }
        controller.enqueue(encoder.encode(text));
      },
      async cancel() {
        await rows.return(undefined);
      },
    },
    { highWaterMark: 1 },
  );
}
