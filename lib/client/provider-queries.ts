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

export interface RemoteModel {
  id: string;
  display_name?: string;
}

export interface ProviderTestResult {
  ok: boolean;
  model: string;
  latency_ms: number;
  error?: { code: string; message: string };
}

/** Where "List models" asks: the saved provider (its stored key) or the form's own values. */
export type ModelDiscovery =
  | { type: "saved"; id: string }
  | { type: "form"; body: { kind: string; base_url?: string; api_key?: string } };

export const discoverModelsMutation = () => ({
  mutationFn: async (request: ModelDiscovery) =>
    request.type === "saved"
      ? (await apiFetch<{ models: RemoteModel[] }>(`${providerPath(request.id)}/models`)).models
      : (
          await apiFetch<{ models: RemoteModel[] }>("/api/model-providers/discover-models", {
            body: request.body,
          })
        ).models,
});

export const testProviderMutation = () => ({
  mutationFn: (id: string) =>
    apiFetch<ProviderTestResult>(`${providerPath(id)}/test`, { body: {} }),
});
