import "server-only";
import { randomUUID } from "node:crypto";
import type { Database, Executor } from "@/db/client";
import { recordAudit } from "@/db/queries/audit";
import {
  deleteModelProvider,
  findModelProvider,
  insertModelProvider,
  listModelProviders,
  updateModelProvider,
  type ModelProviderRow,
} from "@/db/queries/model-providers";
import { ApiError, Errors } from "@/lib/errors";
import type { Caller } from "@/lib/auth/caller";
import { forgetProviderClient } from "@/lib/llm/registry";
import { assertDestinationAllowed } from "@/lib/mcp-config/validation";
import {
  DEFAULT_BASE_URLS,
  type CreateModelProvider,
  type ModelProviderKind,
  type UpdateModelProvider,
} from "@/lib/schemas/model-providers";
import { sealProviderApiKey } from "./secrets";
import { modelProviderJson } from "./serialize";

const notFound = () => Errors.notFound("model_provider", "model provider");

const invalid = (field: string, detail: string) =>
  new ApiError(400, "validation.invalid", `${field} ${detail}.`, [{ field, detail }]);

function baseUrlFor(kind: ModelProviderKind, given: string | undefined): string {
  if (given) return given;
  const fallback = DEFAULT_BASE_URLS[kind];
  if (!fallback) throw invalid("base_url", "is required for an OpenAI-compatible provider");
  return fallback;
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

export async function listProviders(db: Executor) {
  return (await listModelProviders(db)).map(modelProviderJson);
}

export async function getProvider(db: Executor, id: string): Promise<ModelProviderRow> {
  const row = await findModelProvider(db, id);
  if (!row) throw notFound();
  return row;
}

/**
 * Inserts a provider and its audit row on `tx` (the caller's transaction, so the env seeding
 * can hold its lock around it). `actorId` is null for providers seeded from the environment.
 */
export async function insertProvider(
  tx: Executor,
  actorId: string | null,
  input: CreateModelProvider,
  source: "api" | "env",
): Promise<ModelProviderRow> {
  const defaultModel = input.default_model ?? input.models[0]!;
  if (!input.models.includes(defaultModel)) throw invalid("default_model", "must be one of models");
  // The id is chosen here so the key can be sealed to its row before the insert.
  const id = randomUUID();
  const created = await insertModelProvider(tx, {
    id,
    kind: input.kind,
    displayName: input.display_name,
    baseUrl: baseUrlFor(input.kind, input.base_url),
    apiKeyEnc: input.api_key ? sealProviderApiKey(id, input.api_key) : null,
    models: input.models,
    defaultModel,
  });
  await recordAudit(tx, {
    actorId,
    action: "model_provider.create",
    targetType: "model_provider",
    targetId: id,
    detail: {
      kind: created.kind,
      base_url: created.baseUrl,
      models: created.models,
      has_api_key: created.apiKeyEnc !== null,
      source,
    },
  });
  return created;
}

export async function createProvider(
  db: Database,
  actor: Caller,
  input: CreateModelProvider,
): Promise<ModelProviderRow> {
  // Literal private, loopback and metadata addresses are refused as they are for MCP URLs; a
  // name is judged again by the guarded fetch when the model is called.
  assertDestinationAllowed("base_url", input.base_url);
  return db.transaction((tx) => insertProvider(tx, actor.id, input, "api"));
}

export async function updateProvider(
  db: Database,
  actor: Caller,
  id: string,
  input: UpdateModelProvider,
): Promise<ModelProviderRow> {
  assertDestinationAllowed("base_url", input.base_url);
  return db.transaction(async (tx) => {
    const current = await findModelProvider(tx, id, { forUpdate: true });
    if (!current) throw notFound();
    const kind = input.kind ?? current.kind;

    let baseUrl: string;
    if (input.base_url !== undefined) {
      baseUrl = baseUrlFor(kind, input.base_url);
    } else if (kind !== current.kind && current.baseUrl === DEFAULT_BASE_URLS[current.kind]) {
      // Switching e.g. OpenAI → Anthropic: the old vendor's default URL is wrong for the new one.
      baseUrl = baseUrlFor(kind, undefined);
    } else {
      baseUrl = current.baseUrl;
    }

    const models = input.models ?? current.models;
    let defaultModel: string;
    if (input.default_model) {
      if (!models.includes(input.default_model)) {
        throw invalid("default_model", "must be one of models");
      }
      defaultModel = input.default_model;
    } else if (input.default_model === undefined && current.defaultModel) {
      // A removed default falls back to the first model rather than failing the edit.
      defaultModel = models.includes(current.defaultModel) ? current.defaultModel : models[0]!;
    } else {
      defaultModel = models[0]!;
    }

    const changed: string[] = [];
    const patch: Partial<ModelProviderRow> = {};
    const set = <K extends keyof ModelProviderRow>(
      key: K,
      value: ModelProviderRow[K],
      field: string,
    ) => {
      if (JSON.stringify(current[key]) === JSON.stringify(value)) return;
      patch[key] = value;
      changed.push(field);
    };
    set("kind", kind, "kind");
    if (input.display_name !== undefined) set("displayName", input.display_name, "display_name");
    set("baseUrl", baseUrl, "base_url");
    set("models", models, "models");
    set("defaultModel", defaultModel, "default_model");

    let apiKeyCleared = false;
    if (input.api_key !== undefined) {
      if (input.api_key) {
        patch.apiKeyEnc = sealProviderApiKey(id, input.api_key);
        changed.push("api_key");
      } else if (current.apiKeyEnc !== null) {
        patch.apiKeyEnc = null;
        changed.push("api_key");
        apiKeyCleared = true;
      }
    } else if (
      current.apiKeyEnc !== null &&
      (kind !== current.kind || originOf(baseUrl) !== originOf(current.baseUrl))
    ) {
      // The key is write-only, even to admins: pointing the provider at another host must not
      // send the stored key there. The admin types it again with the new host.
      patch.apiKeyEnc = null;
      changed.push("api_key");
      apiKeyCleared = true;
    }

    if (changed.length === 0) return current;
    const updated = await updateModelProvider(tx, id, patch);
    await recordAudit(tx, {
      actorId: actor.id,
      action: "model_provider.update",
      targetType: "model_provider",
      targetId: id,
      detail: { changed, api_key_cleared: apiKeyCleared },
    });
    return updated;
  });
}

export async function removeProvider(db: Database, actor: Caller, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const current = await findModelProvider(tx, id, { forUpdate: true });
    if (!current) throw notFound();
    await deleteModelProvider(tx, id);
    await recordAudit(tx, {
      actorId: actor.id,
      action: "model_provider.delete",
      targetType: "model_provider",
      targetId: id,
      detail: { kind: current.kind, display_name: current.displayName },
    });
  });
  forgetProviderClient(id);
}
