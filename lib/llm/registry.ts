import "server-only";
import { createAnthropic } from "@ai-sdk/anthropic";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { wrapLanguageModel, type LanguageModel } from "ai";
import type { Executor } from "@/db/client";
import {
  findDefaultModelProvider,
  findModelProvider,
  listModelProviders,
  type ModelProviderRow,
} from "@/db/queries/model-providers";
import { ApiError } from "@/lib/errors";
import { getDefaultGuardedFetch } from "@/lib/net/egress";
import { toolResultImagesAsUserMessages } from "./tool-result-images";
import { openProviderApiKey } from "@/lib/model-providers/secrets";
import {
  effectiveDefaultModel,
  modelId as toModelId,
  modelOptionsOf,
  type ModelOptionJson,
} from "@/lib/model-providers/serialize";

/** The AI SDK v6 model object (LanguageModelV3), never a gateway model-id string. */
export type ChatLanguageModel = Extract<LanguageModel, { specificationVersion: "v3" }>;

export interface ResolvedModel {
  model: ChatLanguageModel;
  providerId: string;
  modelName: string;
  /** `<provider_id>:<model>`, as stored on chats and listed by /api/models. */
  modelId: string;
  /**
   * Whether tool results may carry images to the model: Anthropic natively; OpenAI chat
   * models through a user message after the tool results (tool-result-images.ts); other
   * OpenAI-compatible servers not, as nothing says whether a model takes images.
   */
  imageToolResults: boolean;
}

type ModelFactory = (modelName: string) => ChatLanguageModel;

// One client per provider version, so a turn (and every turn after it) reuses the same
// provider instance, and the same model objects, until an admin edits or deletes the provider.
const clients = new Map<string, { fingerprint: string; create: ModelFactory }>();

function fingerprintOf(row: ModelProviderRow): string {
  // updated_at alone has millisecond precision in JS; the sealed key changes on every write.
  return [row.updatedAt.toISOString(), row.kind, row.baseUrl, row.apiKeyEnc ?? ""].join("|");
}

function buildFactory(row: ModelProviderRow): ModelFactory {
  const apiKey = openProviderApiKey(row) ?? undefined;
  if (row.kind === "anthropic") {
    // An empty string, not undefined: the SDK would otherwise fall back to ANTHROPIC_API_KEY
    // from the environment, a key the admin did not give this provider.
    const provider = createAnthropic({
      baseURL: row.baseUrl,
      apiKey: apiKey ?? "",
      // The server dials the admin-given base URL: the same egress guard as MCP and OAuth
      // (resolved address checked at connect time, every redirect hop too), and the key header
      // is a credential that must not follow a redirect to another origin.
      fetch: getDefaultGuardedFetch({ credentialHeaders: ["x-api-key"] }),
    });
    return (name) => provider.languageModel(name);
  }
  const provider = createOpenAICompatible({
    // The provider name prefixes providerOptions keys and shows in SDK errors.
    name: row.kind === "openai" ? "openai" : "openai-compatible",
    baseURL: row.baseUrl,
    // No key (e.g. a local Ollama): no Authorization header at all.
    apiKey,
    includeUsage: true,
    fetch: getDefaultGuardedFetch(),
  });
  if (row.kind !== "openai") return (name) => provider.chatModel(name);
  return (name) =>
    openaiTakesImages(name)
      ? wrapLanguageModel({
          model: provider.chatModel(name),
          middleware: toolResultImagesAsUserMessages,
        })
      : provider.chatModel(name);
}

// OpenAI chat models that take no image input. Every other model of the OpenAI API (GPT-4o,
// 4.1, 5, o1, o3, o4-mini, …) does.
const OPENAI_TEXT_ONLY = /^(gpt-3\.5|gpt-4(-0314|-0613)?$|gpt-4-32k|o1-mini|o1-preview|o3-mini)/;

/** Whether a model takes images from tool results, by provider kind and model name. */
export function takesToolResultImages(kind: ModelProviderRow["kind"], modelName: string): boolean {
  if (kind === "anthropic") return true;
  // An OpenAI-compatible server's models are unknown: an image sent to a text-only model
  // fails the whole request, so they get a text note instead.
  return kind === "openai" && openaiTakesImages(modelName);
}

function openaiTakesImages(modelName: string): boolean {
  return !OPENAI_TEXT_ONLY.test(modelName);
}

function clientFor(row: ModelProviderRow): ModelFactory {
  const fingerprint = fingerprintOf(row);
  const cached = clients.get(row.id);
  if (cached?.fingerprint === fingerprint) return cached.create;
  // A model object holds no per-request state, and building one builds its response schemas
  // (whose first parse compiles them): one per model name and provider version.
  const build = buildFactory(row);
  const models = new Map<string, ChatLanguageModel>();
  const create: ModelFactory = (name) => {
    let model = models.get(name);
    if (model === undefined) {
      model = build(name);
      models.set(name, model);
    }
    return model;
  };
  clients.set(row.id, { fingerprint, create });
  return create;
}

/** Drops a deleted provider's client (an edited one is replaced on its next use). */
export function forgetProviderClient(providerId: string): void {
  clients.delete(providerId);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Splits `<provider_id>:<model>` at the first ':' after the UUID; the model name may hold
 * more colons (`llama3.1:8b`).
 */
export function parseModelId(id: string): { providerId: string; modelName: string } | null {
  const providerId = id.slice(0, 36);
  if (!UUID.test(providerId) || id[36] !== ":") return null;
  const modelName = id.slice(37);
  return modelName ? { providerId: providerId.toLowerCase(), modelName } : null;
}

const unavailable = (modelId: string, why: string) =>
  new ApiError(400, "chat.model_unavailable", `The model “${modelId}” is not available: ${why}.`, [
    { field: "model", detail: `is not available: ${why}` },
  ]);

const noModelConfigured = () =>
  new ApiError(
    400,
    "chat.no_model_configured",
    "No language model is configured. An admin must add a model provider under Admin → Model providers.",
    [{ field: "model", detail: "has no configured model to fall back to" }],
  );

/**
 * The model a turn runs on. `null`/`undefined` means the global default: the default model
 * of the oldest provider. Unknown providers or models answer 400 `chat.model_unavailable`.
 */
export async function resolveModel(
  db: Executor,
  modelId: string | null | undefined,
): Promise<ResolvedModel> {
  let row: ModelProviderRow | undefined;
  let modelName: string;
  if (modelId === null || modelId === undefined) {
    row = await findDefaultModelProvider(db);
    const name = row ? effectiveDefaultModel(row) : null;
    if (!row || !name) throw noModelConfigured();
    modelName = name;
  } else {
    const parsed = parseModelId(modelId);
    if (!parsed) throw unavailable(modelId, "expected <provider_id>:<model>");
    row = await findModelProvider(db, parsed.providerId);
    if (!row) throw unavailable(modelId, "its provider does not exist (it may have been removed)");
    if (!row.models.includes(parsed.modelName)) {
      throw unavailable(modelId, `provider “${row.displayName}” does not offer it`);
    }
    modelName = parsed.modelName;
  }
  return {
    model: clientFor(row)(modelName),
    providerId: row.id,
    modelName,
    modelId: toModelId(row.id, modelName),
    imageToolResults: takesToolResultImages(row.kind, modelName),
  };
}

/** Every model a chat may use, for /api/models and pickers. */
export async function listModelOptions(db: Executor): Promise<ModelOptionJson[]> {
  return modelOptionsOf(await listModelProviders(db));
}
