import type { QueryClient } from "@tanstack/react-query";
import type {
  CreateModelProviderInput,
  UpdateModelProviderInput,
} from "@/lib/schemas/model-providers";
import { apiFetch } from "./api";
import type { ModelOption, ModelProvider } from "./types";

// Query keys live here so the admin page and every model picker invalidate the same entries.
export const providerQueryKeys = {
  all: ["model-providers"] as const,
  list: ["model-providers", "list"] as const,
  /** /api/models is derived from the providers: any provider change invalidates it. */
  models: ["models"] as const,
};

const providerPath = (id: string) => `/api/model-providers/${encodeURIComponent(id)}`;

export const modelProvidersQuery = () => ({
  queryKey: providerQueryKeys.list,
  queryFn: ({ signal }: { signal: AbortSignal }) =>
    apiFetch<ModelProvider[]>("/api/model-providers", { signal }),
});

export const modelsQuery = () => ({
  queryKey: providerQueryKeys.models,
  queryFn: ({ signal }: { signal: AbortSignal }) =>
    apiFetch<ModelOption[]>("/api/models", { signal }),
});

const refresh = (qc: QueryClient) =>
  Promise.all([
    qc.invalidateQueries({ queryKey: providerQueryKeys.all }),
    qc.invalidateQueries({ queryKey: providerQueryKeys.models }),
  ]);

export const createProviderMutation = (qc: QueryClient) => ({
  mutationFn: (input: CreateModelProviderInput) =>
    apiFetch<ModelProvider>("/api/model-providers", { body: input }),
  onSuccess: () => refresh(qc),
});

export const updateProviderMutation = (qc: QueryClient) => ({
  mutationFn: ({ id, patch }: { id: string; patch: UpdateModelProviderInput }) =>
    apiFetch<ModelProvider>(providerPath(id), { method: "PATCH", body: patch }),
  onSuccess: () => refresh(qc),
});

export const deleteProviderMutation = (qc: QueryClient) => ({
  mutationFn: (id: string) => apiFetch<void>(providerPath(id), { method: "DELETE" }),
  onSuccess: () => refresh(qc),
});
