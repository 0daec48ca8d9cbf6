import { z } from "zod";
import { httpUrlSchema } from "./http-url";
import type { ProviderKind } from "@/db/schema";
import { headerValueSchema } from "./http-headers";
import { displayNameSchema } from "./mcp-servers";

// Spelled out here rather than imported from db/schema: this file is bundled for the browser.
export const MODEL_PROVIDER_KINDS = [
  "openai-compatible",
  "openai",
  "anthropic",
] as const satisfies readonly ProviderKind[];
export type ModelProviderKind = (typeof MODEL_PROVIDER_KINDS)[number];

const kindSchema = z.enum(MODEL_PROVIDER_KINDS, {
  error: (issue) =>
    issue.input === undefined
      ? "is required"
      : `must be one of ${MODEL_PROVIDER_KINDS.map((k) => `"${k}"`).join(", ")}`,
});

/** Where a provider's API lives when the admin leaves base_url empty. */
export const DEFAULT_BASE_URLS: Record<ModelProviderKind, string | null> = {
  // Any server speaking the OpenAI chat API: there is no sensible default host.
  "openai-compatible": null,
  openai: "https://api.openai.com/v1",
  anthropic: "https://api.anthropic.com/v1",
};

export const MAX_MODELS = 200;

/** A trailing slash would make `…/v1/` and `…/v1` two different providers to the seeding. */
export function normalizeBaseUrl(value: string): string {
  return value.trim().replace(/\/+$/, "");
}

/**
 * "" means "the kind's default" (required for openai-compatible, checked with the kind).
 * One string schema rather than a union with "", so a bad URL reports its real problem.
 */
export const baseUrlSchema = httpUrlSchema({
  allowEmpty: true,
  credentialsHint: "use the API key field",
}).transform(normalizeBaseUrl);

export const modelNameSchema = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(200, "must be at most 200 characters")
  // Names travel in `<provider_id>:<model>` ids and request bodies: no control characters.
  .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), "must not contain control characters");

export const modelListSchema = z
  .array(modelNameSchema)
  .min(1, "must list at least one model")
  .max(MAX_MODELS, `must have at most ${MAX_MODELS} entries`)
  .superRefine((models, ctx) => {
    const seen = new Set<string>();
    models.forEach((name, index) => {
      if (seen.has(name)) {
        ctx.addIssue({ code: "custom", path: [index], message: `repeats the model “${name}”` });
      }
      seen.add(name);
    });
  });

/** Write-only. Sent as a header by the provider clients, so no CR, LF or NUL. */
const apiKeySchema = headerValueSchema;

export const createModelProviderBody = z
  .strictObject({
    kind: kindSchema,
    display_name: displayNameSchema,
    base_url: baseUrlSchema.optional(),
    api_key: apiKeySchema.nullable().optional(),
    models: modelListSchema,
    default_model: modelNameSchema.nullable().optional(),
  })
  .superRefine((body, ctx) => {
    if (body.kind === "openai-compatible" && !body.base_url) {
      ctx.addIssue({
        code: "custom",
        path: ["base_url"],
        message: "is required for an OpenAI-compatible provider",
      });
    }
    if (body.default_model && !body.models.includes(body.default_model)) {
      ctx.addIssue({
        code: "custom",
        path: ["default_model"],
        message: "must be one of models",
      });
    }
  });
export type CreateModelProviderInput = z.input<typeof createModelProviderBody>;
export type CreateModelProvider = z.output<typeof createModelProviderBody>;

/**
 * Partial: an absent field is unchanged. `api_key`: absent keeps the stored key, null or ""
 * clears it. `default_model: null` picks the first model. Rules that need the stored row
 * (base_url for the kind, default_model among the models) are checked by the service.
 */
export const updateModelProviderBody = z.strictObject({
  kind: kindSchema.optional(),
  display_name: displayNameSchema.optional(),
  base_url: baseUrlSchema.optional(),
  api_key: apiKeySchema.nullable().optional(),
  models: modelListSchema.optional(),
  default_model: modelNameSchema.nullable().optional(),
});
export type UpdateModelProviderInput = z.input<typeof updateModelProviderBody>;
export type UpdateModelProvider = z.output<typeof updateModelProviderBody>;

/** `POST /api/model-providers/:id/test`: which of the provider's models to try (default: its default). */
export const testModelProviderBody = z.strictObject({
  model: modelNameSchema.optional(),
});

/**
 * `POST /api/model-providers/discover-models`: the models of a provider not saved yet. The key
 * is used for this one request and never stored.
 */
export const discoverModelsBody = z
  .strictObject({
    kind: kindSchema,
    base_url: baseUrlSchema.optional(),
    api_key: apiKeySchema.nullable().optional(),
  })
  .superRefine((body, ctx) => {
    if (body.kind === "openai-compatible" && !body.base_url) {
      ctx.addIssue({
        code: "custom",
        path: ["base_url"],
        message: "is required for an OpenAI-compatible provider",
      });
    }
  });
export type DiscoverModelsInput = z.input<typeof discoverModelsBody>;
