import type { QueryClient } from "@tanstack/react-query";
import { apiFetch } from "./api";
import { mcpQueryKeys } from "./mcp-queries";

export type ToolRuleValue = "enabled" | "disabled" | "approval";

/** One entry of a server's tool catalogue (GET /api/mcp/servers/:id/tools). */
export interface McpServerTool {
  name: string;
  title?: string;
  description: string;
  input_schema: Record<string, unknown>;
  output_schema?: Record<string, unknown>;
  annotations?: {
    title?: string;
    readOnlyHint?: boolean;
    destructiveHint?: boolean;
    idempotentHint?: boolean;
    openWorldHint?: boolean;
  };
  definition_hash: string;
  approved_hash: string | null;
  status: "active" | "changed" | "removed";
  rule: ToolRuleValue;
  plan_mode: boolean;
  new: boolean;
  first_seen_at: string;
  last_seen_at: string;
  reviewed_by?: { id: string; name: string };
  reviewed_at?: string;
  previous?: {
    title?: string;
    description?: string;
    input_schema?: Record<string, unknown>;
    output_schema?: Record<string, unknown>;
    annotations?: Record<string, unknown>;
  };
}

export const toolQueryKeys = {
  catalogue: (id: string) => ["mcp-servers", "tools", id] as const,
};

const toolsPath = (id: string) => `/api/mcp/servers/${encodeURIComponent(id)}/tools`;

export const serverToolsQuery = (id: string) => ({
  queryKey: toolQueryKeys.catalogue(id),
  queryFn: ({ signal }: { signal: AbortSignal }) =>
    apiFetch<McpServerTool[]>(toolsPath(id), { signal }),
});

/** Every change bumps the server's version: the config caches are refreshed too. */
function afterChange(qc: QueryClient, id: string) {
  return Promise.all([
    qc.invalidateQueries({ queryKey: toolQueryKeys.catalogue(id) }),
    qc.invalidateQueries({ queryKey: mcpQueryKeys.detail(id) }),
    qc.invalidateQueries({ queryKey: mcpQueryKeys.list }),
  ]);
}

export const refreshServerToolsMutation = (qc: QueryClient, id: string) => ({
  mutationFn: () => apiFetch<McpServerTool[]>(`${toolsPath(id)}?refresh=true`),
  onSuccess: (tools: McpServerTool[]) => {
    qc.setQueryData(toolQueryKeys.catalogue(id), tools);
    return afterChange(qc, id);
  },
});

export interface ToolPatch {
  rule?: ToolRuleValue;
  plan_mode?: boolean;
  approve_hash?: string;
}

export const updateServerToolMutation = (qc: QueryClient, id: string) => ({
  mutationFn: ({ name, patch }: { name: string; patch: ToolPatch }) =>
    apiFetch<McpServerTool>(`${toolsPath(id)}/${encodeURIComponent(name)}`, {
      method: "PATCH",
      body: patch,
    }),
  onSuccess: () => afterChange(qc, id),
});

export interface ToolReview {
  approve: Array<{ name: string; hash: string }>;
  rule?: ToolRuleValue;
  plan_mode?: boolean;
}

export const reviewServerToolsMutation = (qc: QueryClient, id: string) => ({
  mutationFn: (review: ToolReview) =>
    apiFetch<McpServerTool[]>(`${toolsPath(id)}/review`, { method: "POST", body: review }),
  onSuccess: () => afterChange(qc, id),
});
