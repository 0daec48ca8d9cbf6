import "server-only";
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/client";
import { findModelProviderByBaseUrl, type ModelProviderRow } from "@/db/queries/model-providers";
import { headerValueSchema } from "@/lib/schemas/http-headers";
import {
  baseUrlSchema,
  createModelProviderBody,
  DEFAULT_BASE_URLS,
  MAX_MODELS,
  modelNameSchema,
  type CreateModelProvider,
} from "@/lib/schemas/model-providers";
import { insertProvider } from "./service";

// Arbitrary constant shared by every instance (distinct from the migration lock): instances
// starting together seed one after the other, and the later ones find the provider there.
const SEED_LOCK_KEY = 7_314_002_202;

const modelCsv = z
  .string()
  .transform((v) =>
    v
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  )
  .pipe(z.array(modelNameSchema).max(MAX_MODELS, `must name at most ${MAX_MODELS} models`));

const SeedEnvSchema = z.object({
  OPENAI_BASE_URL: baseUrlSchema.optional(),
  OPENAI_API_KEY: headerValueSchema.optional(),
  OPENAI_MODELS: modelCsv.optional(),
  ANTHROPIC_API_KEY: headerValueSchema.optional(),
  ANTHROPIC_MODELS: modelCsv.optional(),
  DEFAULT_MODEL: modelNameSchema.optional(),
});

type EnvSource = Readonly<Record<string, string | undefined>>;

function readSeedEnv(source: EnvSource) {
  const raw: Record<string, string | undefined> = {};
  for (const key of Object.keys(SeedEnvSchema.shape)) {
    const value = source[key]?.trim();
    raw[key] = value ? value : undefined;
  }
  const parsed = SeedEnvSchema.safeParse(raw);
  if (!parsed.success) {
    // Never echo the values: two of these variables are API keys.
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

/** The listed models in their order, with `extra` in front when the list lacks it. */
function withModel(list: string[], extra: string | undefined): string[] {
  const names = extra === undefined || list.includes(extra) ? list : [extra, ...list];
  return [...new Set(names)];
}

export interface SeedPlan {
  plans: CreateModelProvider[];
  warnings: string[];
}

/**
 * The providers the environment asks for, in creation order. The provider that receives
 * DEFAULT_MODEL comes first, so on a fresh database it is the oldest and holds the global
 * default: Anthropic when only ANTHROPIC_MODELS lists it (or no OpenAI variable is set),
 * else the OpenAI one.
 */
export function planProvidersFromEnv(source: EnvSource = process.env): SeedPlan {
  const env = readSeedEnv(source);
  const warnings: string[] = [];
  const wantsOpenAI = Boolean(env.OPENAI_BASE_URL || env.OPENAI_API_KEY);
  const wantsAnthropic = Boolean(env.ANTHROPIC_API_KEY);
  const openaiModels = env.OPENAI_MODELS ?? [];
  const anthropicModels = env.ANTHROPIC_MODELS ?? [];
  const dm = env.DEFAULT_MODEL;
  const defaultToAnthropic =
    wantsAnthropic &&
    dm !== undefined &&
    (!wantsOpenAI || (anthropicModels.includes(dm) && !openaiModels.includes(dm)));

  const ordered: { first: boolean; plan: CreateModelProvider }[] = [];
  if (wantsOpenAI) {
    const ownsDefault = dm !== undefined && !defaultToAnthropic;
    const models = withModel(openaiModels, ownsDefault ? dm : undefined);
    if (models.length === 0) {
      warnings.push(
        "OPENAI_BASE_URL or OPENAI_API_KEY is set but neither DEFAULT_MODEL nor OPENAI_MODELS names a model: no OpenAI provider was created.",
      );
    } else {
      const custom = Boolean(env.OPENAI_BASE_URL);
      ordered.push({
        first: ownsDefault,
        plan: {
          kind: custom ? "openai-compatible" : "openai",
          display_name: custom ? "OpenAI-compatible" : "OpenAI",
          base_url: env.OPENAI_BASE_URL || DEFAULT_BASE_URLS.openai!,
          api_key: env.OPENAI_API_KEY ?? null,
          models,
          default_model: ownsDefault ? dm : models[0],
        },
      });
    }
  }
  if (wantsAnthropic) {
    const models = withModel(anthropicModels, defaultToAnthropic ? dm : undefined);
    if (models.length === 0) {
      warnings.push(
        "ANTHROPIC_API_KEY is set but ANTHROPIC_MODELS names no model: no Anthropic provider was created.",
      );
    } else {
      ordered.push({
        first: defaultToAnthropic,
        plan: {
          kind: "anthropic",
          display_name: "Anthropic",
          base_url: DEFAULT_BASE_URLS.anthropic!,
          api_key: env.ANTHROPIC_API_KEY!,
          models,
          default_model: defaultToAnthropic ? dm : models[0],
        },
      });
    }
  }
  const plans = [...ordered.filter((o) => o.first), ...ordered.filter((o) => !o.first)].map(
    ({ plan }) => {
      // Same rules as the API, so a seeded provider is one an admin could have created.
      const checked = createModelProviderBody.safeParse(plan);
      if (checked.success) return checked.data;
      const lines = checked.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
      throw new Error(
        `Invalid environment for the ${plan.display_name} model provider:\n${lines.join("\n")}`,
      );
    },
  );
  return { plans, warnings };
}

/**
 * Creates the providers the environment describes unless one with the same base URL exists.
 * Idempotent across restarts and across instances starting at once: each check-and-insert
 * runs in a transaction holding a transaction-scoped advisory lock. A provider an admin
 * deleted comes back on the next start while its variables are still set.
 */
export async function seedModelProvidersFromEnv(
  db: Database,
  source: EnvSource = process.env,
): Promise<ModelProviderRow[]> {
  const { plans, warnings } = planProvidersFromEnv(source);
  for (const warning of warnings) console.warn(`[toolgate] ${warning}`);
  const created: ModelProviderRow[] = [];
  for (const plan of plans) {
    // One transaction per provider: each gets its own creation time, in plan order.
    const row = await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${SEED_LOCK_KEY})`);
      if (await findModelProviderByBaseUrl(tx, plan.base_url!)) return null;
      return insertProvider(tx, null, plan, "env");
    });
    if (row) {
      created.push(row);
      console.log(
        `[toolgate] model provider “${row.displayName}” created from the environment (${row.baseUrl}, ${row.models.length} models)`,
      );
    }
  }
  return created;
}
