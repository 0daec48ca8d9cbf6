import { apiFetch } from "./api";

/** One tool call of the audit (GET /api/admin/audit/tool-calls). */
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
  decision: "allowed" | "denied" | "approved" | "declined" | "expired";
  decided_by?: string;
  reason?: string;
  outcome: "ok" | "error" | "timeout" | "not_run";
  error_code?: string;
  duration_ms?: number;
}

export interface ToolAuditPage {
  items: ToolAuditItem[];
  next_cursor: string | null;
}

export type ToolAuditFilters = Partial<
  Record<"user_id" | "server_id" | "tool" | "decision" | "outcome" | "from" | "to", string>
>;

/** The filters as query parameters (empty ones left out; dates as RFC 3339). */
export function auditParams(filters: ToolAuditFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) {
    if (!value) continue;
    params.set(key, key === "from" || key === "to" ? new Date(value).toISOString() : value);
  }
  return params;
}

export const toolAuditQuery = (filters: ToolAuditFilters) => ({
  queryKey: ["admin", "audit", "tool-calls", filters] as const,
  queryFn: ({ pageParam, signal }: { pageParam: string | null; signal: AbortSignal }) => {
    const params = auditParams(filters);
    params.set("limit", "50");
    if (pageParam) params.set("cursor", pageParam);
    return apiFetch<ToolAuditPage>(`/api/admin/audit/tool-calls?${params}`, { signal });
  },
  initialPageParam: null as string | null,
  getNextPageParam: (last: ToolAuditPage) => last.next_cursor,
});

export function auditExportUrl(filters: ToolAuditFilters, format: "jsonl" | "csv"): string {
  const params = auditParams(filters);
  params.set("format", format);
  return `/api/admin/audit/tool-calls/export?${params}`;
}
