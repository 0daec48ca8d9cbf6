import "server-only";
import type { ModelProviderRow } from "@/db/queries/model-providers";
import { openSecret, sealSecret, secretAad } from "@/lib/crypto/secrets";

// Bound to its row: a sealed key copied to another provider row does not open.
const aad = (providerId: string) => secretAad("model_providers", "api_key_enc", providerId);

export function sealProviderApiKey(providerId: string, apiKey: string): string {
  return sealSecret(apiKey, aad(providerId));
}

export function openProviderApiKey(row: Pick<ModelProviderRow, "id" | "apiKeyEnc">): string | null {
  return row.apiKeyEnc === null ? null : openSecret(row.apiKeyEnc, aad(row.id));
}
