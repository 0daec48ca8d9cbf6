import type { ModelProviderRow } from "@/db/queries/model-providers";
import type { ModelOption, ModelProvider } from "@/lib/model-providers/wire";

/** The API view of a provider. The key never leaves: only `has_api_key`. */
export function modelProviderJson(row: ModelProviderRow): ModelProvider {
  return {
    id: row.id,
    kind: row.kind,
    display_name: row.displayName,
    base_url: row.baseUrl,
    has_api_key: row.apiKeyEnc !== null,
    models: row.models,
    default_model: effectiveDefaultModel(row),
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

/** The provider's own default: its `default_model` when still listed, else its first model. */
export function effectiveDefaultModel(
  row: Pick<ModelProviderRow, "models" | "defaultModel">,
): string | null {
  if (row.defaultModel && row.models.includes(row.defaultModel)) return row.defaultModel;
  return row.models[0] ?? null;
}

/** `ModelOption` plus the provider's display name, so members can tell two "llama3" apart. */
export type ModelOptionJson = ModelOption & { provider_name: string };

export function modelId(providerId: string, model: string): string {
  return `${providerId}:${model}`;
}

/**
 * Every model of every provider, oldest provider first, each provider's models in their
 * stored order. Exactly one option is the default when any exists: the default model of the
 * oldest provider that lists models (rows must come oldest first).
 */
export function modelOptionsOf(rows: readonly ModelProviderRow[]): ModelOptionJson[] {
  const options: ModelOptionJson[] = [];
  let defaultTaken = false;
  for (const row of rows) {
    const providerDefault = effectiveDefaultModel(row);
    for (const name of row.models) {
      const isDefault = !defaultTaken && name === providerDefault;
      if (isDefault) defaultTaken = true;
      options.push({
        id: modelId(row.id, name),
        provider_id: row.id,
        provider_name: row.displayName,
        name,
        is_default: isDefault,
      });
    }
  }
  return options;
}
