import type { QueryClient } from "@tanstack/react-query";
import type { AppSettings } from "@/lib/schemas/settings";
import type { WorkspaceMcpSettings } from "@/lib/schemas/workspace-mcp-settings";
import { apiFetch } from "./api";

export const settingsQueryKeys = { app: ["admin", "settings"] as const };

export const appSettingsQuery = () => ({
  queryKey: settingsQueryKeys.app,
  queryFn: ({ signal }: { signal: AbortSignal }) =>
    apiFetch<AppSettings>("/api/admin/settings", { signal }),
});

export const updateAppSettingsMutation = (qc: QueryClient) => ({
  mutationFn: (input: AppSettings) =>
    apiFetch<AppSettings>("/api/admin/settings", { method: "PUT", body: input }),
  onSuccess: (saved: AppSettings) => qc.setQueryData(settingsQueryKeys.app, saved),
});

export const workspaceMcpSettingsKey = ["admin", "settings", "workspace-mcp"] as const;

export const workspaceMcpSettingsQuery = () => ({
  queryKey: workspaceMcpSettingsKey,
  queryFn: ({ signal }: { signal: AbortSignal }) =>
    apiFetch<WorkspaceMcpSettings>("/api/admin/settings/workspace-mcp", { signal }),
});

export const updateWorkspaceMcpSettingsMutation = (qc: QueryClient) => ({
  mutationFn: (input: WorkspaceMcpSettings) =>
    apiFetch<WorkspaceMcpSettings>("/api/admin/settings/workspace-mcp", {
      method: "PUT",
      body: input,
    }),
  onSuccess: (saved: WorkspaceMcpSettings) => qc.setQueryData(workspaceMcpSettingsKey, saved),
});
