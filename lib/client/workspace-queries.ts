import type { QueryClient } from "@tanstack/react-query";
import { apiFetch } from "./api";
import { chatPath, chatQueryKeys, storeChat } from "./chat-queries";
import type { Chat } from "./types";
import type {
  AdminWorkspaces,
  Workspace,
  WorkspaceMcpListing,
  WorkspaceTemplate,
} from "./workspace-types";

export const workspaceQueryKeys = {
  all: ["workspaces"] as const,
  list: ["workspaces", "list"] as const,
  detail: (id: string) => ["workspaces", "detail", id] as const,
  mcp: (id: string) => ["workspaces", "mcp", id] as const,
  /** Every user's workspaces and the sandbox status (admin); under `all` so it refreshes too. */
  admin: ["workspaces", "admin"] as const,
  templates: ["templates"] as const,
};

const workspacePath = (id: string) => `/api/workspaces/${encodeURIComponent(id)}`;

export const templatesQuery = () => ({
  queryKey: workspaceQueryKeys.templates,
  queryFn: ({ signal }: { signal: AbortSignal }) =>
    apiFetch<WorkspaceTemplate[]>("/api/templates", { signal }),
  staleTime: 5 * 60_000,
});

export const workspacesQuery = () => ({
  queryKey: workspaceQueryKeys.list,
  queryFn: ({ signal }: { signal: AbortSignal }) =>
    apiFetch<Workspace[]>("/api/workspaces", { signal }),
});

export const workspaceQuery = (id: string) => ({
  queryKey: workspaceQueryKeys.detail(id),
  queryFn: ({ signal }: { signal: AbortSignal }) =>
    apiFetch<Workspace>(workspacePath(id), { signal }),
});

/** The workspace's `.mcp.json` servers; `fetchWorkspaceMcp(id, true)` reconnects them. */
export const fetchWorkspaceMcp = (id: string, refresh: boolean, signal?: AbortSignal) =>
  apiFetch<WorkspaceMcpListing>(`${workspacePath(id)}/mcp${refresh ? "?refresh=true" : ""}`, {
    ...(signal && { signal }),
  });

export const workspaceMcpQuery = (id: string) => ({
  queryKey: workspaceQueryKeys.mcp(id),
  queryFn: ({ signal }: { signal: AbortSignal }) => fetchWorkspaceMcp(id, false, signal),
});

export const adminWorkspacesQuery = () => ({
  queryKey: workspaceQueryKeys.admin,
  queryFn: ({ signal }: { signal: AbortSignal }) =>
    apiFetch<AdminWorkspaces>("/api/admin/workspaces", { signal }),
});

function storeWorkspace(qc: QueryClient, ws: Workspace) {
  qc.setQueryData(workspaceQueryKeys.detail(ws.id), ws);
  void qc.invalidateQueries({ queryKey: workspaceQueryKeys.list });
  void qc.invalidateQueries({ queryKey: workspaceQueryKeys.admin });
  void qc.invalidateQueries({ queryKey: workspaceQueryKeys.mcp(ws.id) });
}

export const createWorkspaceMutation = (qc: QueryClient) => ({
  mutationFn: (input: { name: string; template: string }) =>
    apiFetch<Workspace>("/api/workspaces", { body: input }),
  onSuccess: (ws: Workspace) => storeWorkspace(qc, ws),
});

export const workspaceActionMutation = (qc: QueryClient) => ({
  mutationFn: ({ id, action }: { id: string; action: "start" | "stop" }) =>
    apiFetch<Workspace>(`${workspacePath(id)}/${action}`, { method: "POST" }),
  onSuccess: (ws: Workspace) => storeWorkspace(qc, ws),
  // A failed start still changed the workspace (status "error").
  onError: (_err: unknown, { id }: { id: string }) =>
    void qc.invalidateQueries({ queryKey: workspaceQueryKeys.detail(id) }),
});

/** An admin stops anyone's workspace (its files stay); the owner can start it again. */
export const adminStopWorkspaceMutation = (qc: QueryClient) => ({
  mutationFn: (id: string) =>
    apiFetch<Workspace>(`/api/admin/workspaces/${encodeURIComponent(id)}/stop`, {
      method: "POST",
    }),
  onSuccess: (ws: Workspace) => storeWorkspace(qc, ws),
  // Stopped or deleted meanwhile (404), or half-way: show what is there now.
  onError: () => void qc.invalidateQueries({ queryKey: workspaceQueryKeys.admin }),
});

/** Points the chat at a workspace (or none); later turns use its files, commands and MCP. */
export const attachWorkspaceMutation = (qc: QueryClient) => ({
  mutationFn: ({ chatId, workspaceId }: { chatId: string; workspaceId: string | null }) =>
    apiFetch<Chat>(chatPath(chatId), { method: "PATCH", body: { workspace_id: workspaceId } }),
  onSuccess: (chat: Chat) => {
    storeChat(qc, chat);
    void qc.invalidateQueries({ queryKey: chatQueryKeys.tools(chat.id, false) });
  },
});

export interface WorkspaceFileEntry {
  name: string;
  path: string;
  type: "file" | "directory" | "symlink" | "other";
  size?: number;
}

export interface WorkspaceFileContent {
  path: string;
  size: number;
  content: string;
  truncated: boolean;
}

export const workspaceFileKeys = {
  dir: (id: string, path: string) => ["workspaces", "files", id, "dir", path] as const,
  file: (id: string, path: string) => ["workspaces", "files", id, "file", path] as const,
};

export const workspaceDirQuery = (id: string, path: string) => ({
  queryKey: workspaceFileKeys.dir(id, path),
  queryFn: ({ signal }: { signal: AbortSignal }) =>
    apiFetch<{ path: string; entries: WorkspaceFileEntry[]; truncated: boolean }>(
      `${workspacePath(id)}/files?${new URLSearchParams({ path })}`,
      { signal },
    ),
});

export const workspaceFileQuery = (id: string, path: string) => ({
  queryKey: workspaceFileKeys.file(id, path),
  queryFn: ({ signal }: { signal: AbortSignal }) =>
    apiFetch<WorkspaceFileContent>(
      `${workspacePath(id)}/files/content?${new URLSearchParams({ path })}`,
      { signal },
    ),
  // A missing or binary file is an answer, not a hiccup worth retrying.
  retry: false,
});
