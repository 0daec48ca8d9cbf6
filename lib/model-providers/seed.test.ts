import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { auditEvents, modelProviders } from "@/db/schema";
import { listModelOptions } from "@/lib/llm/registry";
import { withTestDatabase } from "@/lib/testing/db";
import { openProviderApiKey } from "./secrets";
import { planProvidersFromEnv, seedModelProvidersFromEnv } from "./seed";

const t = withTestDatabase();

beforeEach(async () => {
  await t.db.delete(modelProviders);
  vi.spyOn(console, "log").mockImplementation(() => {});
  vi.spyOn(console, "warn").mockImplementation(() => {});
});

const rows = () => t.db.select().from(modelProviders).orderBy(modelProviders.createdAt);

describe("model provider seeding from the environment", () => {
  it("creates one OpenAI-compatible provider, and still one after a second start", async () => {
    const env = {
      OPENAI_BASE_URL: "http://localhost:11434/v1/",
      OPENAI_API_KEY: "sk-seed-1",
      OPENAI_MODELS: "llama3.1:8b, qwen2.5 ,",
      DEFAULT_MODEL: "qwen2.5",
    };
    const created = await seedModelProvidersFromEnv(t.db, env);
    expect(created).toHaveLength(1);
    expect(await seedModelProvidersFromEnv(t.db, env)).toEqual([]);
    const all = await rows();
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({
      kind: "openai-compatible",
      displayName: "OpenAI-compatible",
      baseUrl: "http://localhost:11434/v1",
      models: ["llama3.1:8b", "qwen2.5"],
      defaultModel: "qwen2.5",
    });
    expect(all[0]!.apiKeyEnc).toMatch(/^v1\./);
    expect(openProviderApiKey(all[0]!)).toBe("sk-seed-1");
    const audit = await t.db.select().from(auditEvents).where(eq(auditEvents.targetId, all[0]!.id));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: null, action: "model_provider.create" });
    expect(JSON.stringify(audit)).not.toContain("sk-seed-1");
  });

  it("is safe when several instances start at once", async () => {
    const env = { OPENAI_API_KEY: "sk-x", DEFAULT_MODEL: "gpt-4o-mini" };
    await Promise.all([1, 2, 3].map(() => seedModelProvidersFromEnv(t.db, env)));
    const all = await rows();
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({
      kind: "openai",
      displayName: "OpenAI",
      baseUrl: "https://api.openai.com/v1",
      models: ["gpt-4o-mini"],
    });
  });

  it("seeds OpenAI and Anthropic with the DEFAULT_MODEL owner first, as the global default", async () => {
    await seedModelProvidersFromEnv(t.db, {
      OPENAI_API_KEY: "sk-o",
      OPENAI_MODELS: "gpt-4o,gpt-4o-mini",
      ANTHROPIC_API_KEY: "sk-ant",
      ANTHROPIC_MODELS: "claude-haiku-4-5,claude-sonnet-4-5",
      DEFAULT_MODEL: "claude-sonnet-4-5",
    });
    const all = await rows();
    expect(all.map((r) => r.kind)).toEqual(["anthropic", "openai"]);
    expect(all[0]).toMatchObject({
      baseUrl: "https://api.anthropic.com/v1",
      models: ["claude-haiku-4-5", "claude-sonnet-4-5"],
      defaultModel: "claude-sonnet-4-5",
    });
    const defaults = (await listModelOptions(t.db)).filter((o) => o.is_default);
    expect(defaults.map((o) => o.name)).toEqual(["claude-sonnet-4-5"]);
  });

  it("does nothing without variables, and skips a provider with no model names", async () => {
    expect(await seedModelProvidersFromEnv(t.db, {})).toEqual([]);
    const plan = planProvidersFromEnv({ ANTHROPIC_API_KEY: "sk-ant", OPENAI_API_KEY: " " });
    expect(plan.plans).toEqual([]);
    expect(plan.warnings).toEqual([expect.stringContaining("ANTHROPIC_MODELS")]);
    expect(await seedModelProvidersFromEnv(t.db, { OPENAI_API_KEY: "sk" })).toEqual([]);
    expect(console.warn).toHaveBeenCalledWith(expect.stringContaining("OPENAI_MODELS"));
    expect(await rows()).toEqual([]);
  });

  it("fails with a clear message on invalid values, without echoing keys", () => {
    expect(() => planProvidersFromEnv({ OPENAI_BASE_URL: "localhost:11434" })).toThrow(
      /Invalid environment:\n {2}OPENAI_BASE_URL: /,
    );
    expect(() =>
      planProvidersFromEnv({ OPENAI_BASE_URL: "https://u:p@llm.example.com/v1" }),
    ).toThrow(/OPENAI_BASE_URL: must not contain a user name or password/);
    expect(() =>
      planProvidersFromEnv({ OPENAI_API_KEY: "sk", OPENAI_MODELS: `a,${"x".repeat(201)}` }),
    ).toThrow(/OPENAI_MODELS\.1: must be at most 200 characters/);
    // A repeated name is harmless in a variable: it is listed once.
    const deduped = planProvidersFromEnv({ OPENAI_API_KEY: "sk", OPENAI_MODELS: "a,b,a" });
    expect(deduped.plans[0]!.models).toEqual(["a", "b"]);
    const err = (() => {
      try {
        planProvidersFromEnv({ ANTHROPIC_API_KEY: "secret\nvalue", ANTHROPIC_MODELS: "c" });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err?.message).toMatch(/ANTHROPIC_API_KEY: must not contain CR, LF or NUL/);
    expect(err?.message).not.toContain("secret");
  });
});
