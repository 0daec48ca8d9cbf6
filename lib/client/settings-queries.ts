import type { QueryClient } from "@tanstack/react-query";
import type { AppSettings } from "@/lib/schemas/settings";
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
