// Pure form logic for the model provider dialog: provider → form values, form values → request
// bodies (create, and a minimal PATCH with the write-only key rules), client-side checks with
// the shared schemas, and problem+json → messages beside the fields. No React here.
import type { FieldProblem } from "@/lib/client/api";
import type { ModelProvider } from "@/lib/client/types";
import {
  createModelProviderBody,
  DEFAULT_BASE_URLS,
  normalizeBaseUrl,
  updateModelProviderBody,
  type CreateModelProviderInput,
  type ModelProviderKind,
  type UpdateModelProviderInput,
} from "@/lib/schemas/model-providers";

export interface ProviderFormValues {
  kind: ModelProviderKind;
  display_name: string;
  base_url: string;
  /** Write-only: never pre-filled. `clear` asks to delete the stored key. */
  api_key: { value: string; clear: boolean };
  /** One model name per line (commas also separate). */
  models_text: string;
  /** "" = the first model. */
  default_model: string;
}

export type FieldErrors = Record<string, string>;

export const KIND_LABELS: Record<ModelProviderKind, string> = {
  "openai-compatible": "OpenAI-compatible",
  openai: "OpenAI",
  anthropic: "Anthropic",
};

export const BASE_URL_PLACEHOLDERS: Record<ModelProviderKind, string> = {
  "openai-compatible": "http://localhost:11434/v1",
  openai: DEFAULT_BASE_URLS.openai!,
  anthropic: DEFAULT_BASE_URLS.anthropic!,
};

const LABELS: Record<string, string> = {
  kind: "Kind",
  display_name: "Display name",
  base_url: "Base URL",
  api_key: "API key",
  models: "Models",
  default_model: "Default model",
};

export function emptyProviderForm(): ProviderFormValues {
  return {
    kind: "openai-compatible",
    display_name: "",
    base_url: "",
    api_key: { value: "", clear: false },
    models_text: "",
    default_model: "",
  };
}

export function providerToForm(provider: ModelProvider): ProviderFormValues {
  return {
    kind: provider.kind,
    display_name: provider.display_name,
    base_url: provider.base_url,
    api_key: { value: "", clear: false },
    models_text: provider.models.join("\n"),
    default_model: provider.default_model ?? "",
  };
}

/** Names in order, trimmed, blank lines and repeats dropped. */
export function parseModels(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\n,]/)
        .map((m) => m.trim())
        .filter(Boolean),
    ),
  ];
}

/** The default the select shows: the chosen one while listed, else the first model. */
export function effectiveDefault(values: ProviderFormValues): string {
  const models = parseModels(values.models_text);
  return models.includes(values.default_model) ? values.default_model : (models[0] ?? "");
}

/** A vendor's default URL does not carry over to another kind; a custom URL does. */
export function withKind(values: ProviderFormValues, kind: ModelProviderKind): ProviderFormValues {
  const url = normalizeBaseUrl(values.base_url);
  const wasDefault = url !== "" && url === DEFAULT_BASE_URLS[values.kind];
  return { ...values, kind, base_url: wasDefault ? "" : values.base_url };
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/**
 * The server drops a stored key when the provider moves to another host or kind without a
 * new key (so a key never reaches a host it was not typed for). The form says so beforehand.
 */
export function keyWillBeDropped(values: ProviderFormValues, original: ModelProvider): boolean {
  if (!original.has_api_key || values.api_key.value || values.api_key.clear) return false;
  if (values.kind !== original.kind) return true;
  const url = normalizeBaseUrl(values.base_url) || DEFAULT_BASE_URLS[values.kind] || "";
  return originOf(url) !== originOf(original.base_url);
}

export function toCreateBody(values: ProviderFormValues): CreateModelProviderInput {
  const models = parseModels(values.models_text);
  return {
    kind: values.kind,
    display_name: values.display_name.trim(),
    base_url: values.base_url.trim(),
    ...(values.api_key.value ? { api_key: values.api_key.value } : {}),
    models,
    ...(models.length > 0 ? { default_model: effectiveDefault(values) } : {}),
  };
}

/** Only what changed; `api_key` only when typed (replace) or cleared (null). */
export function toUpdateBody(
  values: ProviderFormValues,
  original: ModelProvider,
): UpdateModelProviderInput {
  const body: UpdateModelProviderInput = {};
  if (values.kind !== original.kind) body.kind = values.kind;
  if (values.display_name.trim() !== original.display_name) {
    body.display_name = values.display_name.trim();
  }
  if (normalizeBaseUrl(values.base_url) !== original.base_url) {
    body.base_url = values.base_url.trim();
  }
  const models = parseModels(values.models_text);
  if (JSON.stringify(models) !== JSON.stringify(original.models)) body.models = models;
  const def = effectiveDefault(values);
  if (def && def !== original.default_model) body.default_model = def;
  if (values.api_key.value) body.api_key = values.api_key.value;
  else if (values.api_key.clear) body.api_key = null;
  return body;
}

/** `field` as the API names it (`models[2]`) → a sentence beside the field. */
export function fieldMessage(field: string, detail: string): string {
  const base = field.replace(/\[\d+\].*$/, "");
  return `${LABELS[base] ?? field} ${detail}`;
}

/** Errors keyed by the form's field (a model's entry error shows on the Models field). */
function addError(errors: FieldErrors, field: string, detail: string) {
  const base = field.replace(/\[\d+\].*$/, "");
  errors[base] ??= fieldMessage(field, detail);
}

function pathToField(path: readonly PropertyKey[]): string {
  return path
    .map((p) => (typeof p === "number" ? `[${p}]` : String(p)))
    .join(".")
    .replace(/\.\[/g, "[");
}

function checkCommon(values: ProviderFormValues, errors: FieldErrors) {
  if (values.kind === "openai-compatible" && !values.base_url.trim()) {
    errors.base_url ??= "Base URL is required for an OpenAI-compatible provider";
  }
  if (parseModels(values.models_text).length === 0) {
    errors.models ??= "Add at least one model";
  }
}

export type BuildResult<T> = { ok: true; body: T } | { ok: false; errors: FieldErrors };

export function buildCreateRequest(
  values: ProviderFormValues,
): BuildResult<CreateModelProviderInput> {
  const body = toCreateBody(values);
  const errors: FieldErrors = {};
  checkCommon(values, errors);
  const parsed = createModelProviderBody.safeParse(body);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      addError(errors, pathToField(issue.path) || "body", issue.message);
    }
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, body };
}

export function buildUpdateRequest(
  values: ProviderFormValues,
  original: ModelProvider,
): BuildResult<UpdateModelProviderInput> {
  const body = toUpdateBody(values, original);
  const errors: FieldErrors = {};
  checkCommon(values, errors);
  const parsed = updateModelProviderBody.safeParse(body);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      addError(errors, pathToField(issue.path) || "body", issue.message);
    }
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, body };
}

/** Server problem → errors beside fields; empty when the problem belongs in an alert. */
export function serverFieldErrors(problem: { validations: readonly FieldProblem[] }): FieldErrors {
  const errors: FieldErrors = {};
  for (const v of problem.validations) addError(errors, v.field, v.detail);
  return errors;
}

/**
 * Where "List models" should ask. The saved provider (with its stored key) while the form
 * still points where it did and no key was typed; otherwise the form's own values, so a
 * stored key is never sent to a host or kind it was not saved for.
 */
export function modelDiscoveryFor(
  values: ProviderFormValues,
  original?: ModelProvider,
):
  | { type: "saved"; id: string }
  | { type: "form"; body: { kind: ModelProviderKind; base_url?: string; api_key?: string } } {
  const url = normalizeBaseUrl(values.base_url);
  if (
    original &&
    values.kind === original.kind &&
    (url || DEFAULT_BASE_URLS[values.kind]) === original.base_url &&
    !values.api_key.value &&
    !values.api_key.clear
  ) {
    return { type: "saved", id: original.id };
  }
  return {
    type: "form",
    body: {
      kind: values.kind,
      ...(url ? { base_url: url } : {}),
      ...(values.api_key.value ? { api_key: values.api_key.value } : {}),
    },
  };
}

/** The models text with `model` added (at the end) or removed. */
export function toggleModel(text: string, model: string, on: boolean): string {
  const models = parseModels(text).filter((m) => m !== model);
  return (on ? [...models, model] : models).join("\n");
}
