import type { QueryClient } from "@tanstack/react-query";
import type { CreateMcpServerInput, UpdateMcpServerInput } from "@/lib/schemas/mcp-servers";
import { apiFetch } from "./api";
import type { McpServerConfig, McpTestResult } from "./types";

// Query keys live here so the list, the editor and the test panel invalidate the same entries.
export const mcpQueryKeys = {
  all: ["mcp-servers"] as const,
  list: ["mcp-servers", "list"] as const,
  detail: (id: string) => ["mcp-servers", "detail", id] as const,
};

const serverPath = (id: string) => `/api/mcp/servers/${encodeURIComponent(id)}`;

export const mcpServersQuery = () => ({
  queryKey: mcpQueryKeys.list,
  queryFn: ({ signal }: { signal: AbortSignal }) =>
    apiFetch<McpServerConfig[]>("/api/mcp/servers", { signal }),
});

export const mcpServerQuery = (id: string) => ({
  queryKey: mcpQueryKeys.detail(id),
  queryFn: ({ signal }: { signal: AbortSignal }) =>
    apiFetch<McpServerConfig>(serverPath(id), { signal }),
});

/** Writes the fresh config into the caches so the list and editor agree without a refetch. */
function storeConfig(qc: QueryClient, config: McpServerConfig) {
  qc.setQueryData(mcpQueryKeys.detail(config.id), config);
  return qc.invalidateQueries({ queryKey: mcpQueryKeys.list });
}

export const createMcpServerMutation = (qc: QueryClient) => ({
  mutationFn: (input: CreateMcpServerInput) =>
    apiFetch<McpServerConfig>("/api/mcp/servers", { body: input }),
  onSuccess: (config: McpServerConfig) => storeConfig(qc, config),
});

export interface UpdateMcpServerVariables {
  id: string;
  patch: UpdateMcpServerInput;
  /** The version the edit was based on; sent as If-Match so a concurrent edit answers 412. */
  version?: number;
}

export const updateMcpServerMutation = (qc: QueryClient) => ({
  mutationFn: ({ id, patch, version }: UpdateMcpServerVariables) =>
    apiFetch<McpServerConfig>(serverPath(id), {
      method: "PATCH",
      body: patch,
      headers: version === undefined ? undefined : { "If-Match": String(version) },
    }),
  onSuccess: (config: McpServerConfig) => storeConfig(qc, config),
});

export const deleteMcpServerMutation = (qc: QueryClient) => ({
  mutationFn: (id: string) => apiFetch<void>(serverPath(id), { method: "DELETE" }),
  onSuccess: (_: void, id: string) => {
    // Only unobserved entries: an open editor navigates away instead of refetching a 404.
    qc.removeQueries({ queryKey: mcpQueryKeys.detail(id), type: "inactive" });
    return qc.invalidateQueries({ queryKey: mcpQueryKeys.list });
  },
});

/** Connects to the saved config now (up to ~10 s); the caller refreshes `status` afterwards. */
export const testMcpServerMutation = () => ({
  mutationFn: (id: string) => apiFetch<McpTestResult>(`${serverPath(id)}/test`, { method: "POST" }),
});

/** Where the OAuth2 popup starts: a browser navigation that redirects to the provider. */
export const mcpOauth2ConnectUrl = (id: string) => `${serverPath(id)}/oauth2/connect`;

/**
 * Forgets the caller's own OAuth2 token for a server (revoked at the provider when it can be).
 * Idempotent; `auth_connected` turns false, so every list and detail is refetched.
 */
export const disconnectMcpServerMutation = (qc: QueryClient) => ({
  mutationFn: (id: string) =>
    apiFetch<void>(`${serverPath(id)}/oauth2/disconnect`, { method: "DELETE" }),
  onSuccess: () => qc.invalidateQueries({ queryKey: mcpQueryKeys.all }),
});
