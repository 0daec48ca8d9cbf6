import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { generateText, streamText } from "ai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PATCH as patch } from "@/app/api/model-providers/[id]/route";
import { POST as create } from "@/app/api/model-providers/route";
import { startFakeOpenAI, type FakeOpenAI } from "@/e2e/fixtures/fake-openai";
import { insertModelProvider } from "@/db/queries/model-providers";
import { ApiError } from "@/lib/errors";
import { findEgressError } from "@/lib/net/egress";
import { withTestDatabase } from "@/lib/testing/db";
import { seedUser } from "@/lib/testing/fixtures";
import { call } from "@/lib/testing/http";
import { listModelOptions, parseModelId, resolveModel } from "./registry";

const t = withTestDatabase();
let fake: FakeOpenAI;
let admin: Awaited<ReturnType<typeof seedUser>>;
const KEY = "sk-registry-test-7d2c";

const previousAllowlist = process.env.EGRESS_ALLOWLIST;

beforeAll(async () => {
  // The fake model listens on loopback, which the egress guard refuses unless allowed.
  process.env.EGRESS_ALLOWLIST = "127.0.0.1";
  fake = await startFakeOpenAI();
  admin = await seedUser(t.db, { role: "admin" });
});

afterAll(async () => {
  if (previousAllowlist === undefined) delete process.env.EGRESS_ALLOWLIST;
  else process.env.EGRESS_ALLOWLIST = previousAllowlist;
  await fake.close();
});

async function createProvider(body: Record<string, unknown>) {
  const res = await call(create, { token: admin.token, body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string };
}

async function streamAll(modelId: string | null, prompt: string) {
  const resolved = await resolveModel(t.db, modelId);
  const result = streamText({ model: resolved.model, prompt });
  let text = "";
  for await (const delta of result.textStream) text += delta;
  return { resolved, text, usage: await result.usage };
}

async function expectApiError(promise: Promise<unknown>, code: string) {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  expect((err as ApiError).code).toBe(code);
  expect((err as ApiError).status).toBe(400);
  return err as ApiError;
}

describe("parseModelId", () => {
  it("splits at the first ':' after the UUID", () => {
    const id = "0b5c1a9e-3f0d-4f7a-9b1e-2a6f1c0d9e8b";
    expect(parseModelId(`${id}:llama3.1:8b`)).toEqual({ providerId: id, modelName: "llama3.1:8b" });
    expect(parseModelId(`${id.toUpperCase()}:m`)).toEqual({ providerId: id, modelName: "m" });
    expect(parseModelId(`${id}:`)).toBeNull();
    expect(parseModelId(`${id}-llama`)).toBeNull();
    expect(parseModelId("gpt-4o")).toBeNull();
    expect(parseModelId("")).toBeNull();
  });
});

describe("resolveModel", () => {
  it("answers chat.no_model_configured while no provider exists", async () => {
    const err = await expectApiError(resolveModel(t.db, null), "chat.no_model_configured");
    expect(err.message).toMatch(/model provider/);
    await expectApiError(resolveModel(t.db, undefined), "chat.no_model_configured");
    expect(await listModelOptions(t.db)).toEqual([]);
  });

  it("streams from an OpenAI-compatible server with the key as a Bearer token", async () => {
    const provider = await createProvider({
      kind: "openai-compatible",
      display_name: "Fake",
      base_url: fake.url,
      api_key: KEY,
      models: ["fake-model", "fake:tagged:model"],
    });
    fake.script("hello registry", [{ text: "Hello from the fake model." }]);
    const { resolved, text, usage } = await streamAll(
      `${provider.id}:fake-model`,
      "hello registry",
    );
    expect(text).toBe("Hello from the fake model.");
    expect(resolved).toMatchObject({
      providerId: provider.id,
      modelName: "fake-model",
      modelId: `${provider.id}:fake-model`,
    });
    expect(usage.outputTokens).toBeGreaterThan(0);

    const [request] = fake.requests({ match: "hello registry" });
    expect(request!.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(request!.model).toBe("fake-model");
    expect(request!.stream).toBe(true);
    expect(request!.includeUsage).toBe(true);

    // A model name with colons reaches the server whole.
    fake.script("colon check", [{ text: "ok" }]);
    await streamAll(`${provider.id}:fake:tagged:model`, "colon check");
    expect(fake.requests({ match: "colon check" })[0]!.model).toBe("fake:tagged:model");
  });

  it("falls back to the oldest provider's default model", async () => {
    fake.script("default please", [{ text: "from the default" }]);
    const { resolved, text } = await streamAll(null, "default please");
    expect(text).toBe("from the default");
    expect(resolved.modelName).toBe("fake-model");
    const options = await listModelOptions(t.db);
    expect(options.filter((o) => o.is_default).map((o) => o.id)).toEqual([resolved.modelId]);
  });

  it("reuses one provider client per provider version", async () => {
    const [option] = await listModelOptions(t.db);
    const a = await resolveModel(t.db, option!.id);
    const b = await resolveModel(t.db, null);
    // SDK internals, test-only: models of one provider instance share its header builder.
    const headersOf = (r: { model: unknown }) =>
      (r.model as { config: { headers: unknown } }).config.headers;
    expect(headersOf(a)).toBe(headersOf(b));
  });

  it("picks up an edited key at once and sends no Authorization header without one", async () => {
    const provider = await createProvider({
      kind: "openai-compatible",
      display_name: "Rotating",
      base_url: fake.url,
      api_key: "sk-old",
      models: ["fake-model-large"],
    });
    const id = `${provider.id}:fake-model-large`;
    fake.script("rotate one", [{ text: "one" }]);
    await streamAll(id, "rotate one");
    expect(fake.requests({ match: "rotate one" })[0]!.headers.authorization).toBe("Bearer sk-old");

    const patchBody = (body: unknown) =>
      call(patch, { token: admin.token, method: "PATCH", params: { id: provider.id }, body });
    await patchBody({ api_key: "sk-new" });
    fake.script("rotate two", [{ text: "two" }]);
    await streamAll(id, "rotate two");
    expect(fake.requests({ match: "rotate two" })[0]!.headers.authorization).toBe("Bearer sk-new");

    // Like a local Ollama: no key, no header.
    await patchBody({ api_key: null });
    fake.script("rotate three", [{ text: "three" }]);
    await streamAll(id, "rotate three");
    expect(fake.requests({ match: "rotate three" })[0]!.headers.authorization).toBeUndefined();
  });

  it("answers chat.model_unavailable for unknown providers, unknown models and bad ids", async () => {
    const [first] = await listModelOptions(t.db);
    const missing = await expectApiError(
      resolveModel(t.db, "00000000-0000-4000-8000-000000000001:fake-model"),
      "chat.model_unavailable",
    );
    expect(missing.message).toMatch(/provider does not exist/);
    const unknownModel = await expectApiError(
      resolveModel(t.db, `${first!.provider_id}:gpt-9`),
      "chat.model_unavailable",
    );
    expect(unknownModel.message).toMatch(/does not offer it/);
    expect(unknownModel.validations).toEqual([
      { field: "model", detail: expect.stringContaining("not available") },
    ]);
    await expectApiError(resolveModel(t.db, "gpt-4o"), "chat.model_unavailable");
    await expectApiError(resolveModel(t.db, ""), "chat.model_unavailable");
  });

  it("sends Anthropic the stored key only, never ANTHROPIC_API_KEY from the environment", async () => {
    const seen: (string | undefined)[] = [];
    const server = createServer((req, res) => {
      seen.push(req.headers["x-api-key"] as string | undefined);
      res.writeHead(400, { "content-type": "application/json" });
      res.end(
        JSON.stringify({ type: "error", error: { type: "invalid_request_error", message: "no" } }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    process.env.ANTHROPIC_API_KEY = "env-key-must-not-be-sent";
    try {
      const provider = await createProvider({
        kind: "anthropic",
        display_name: "Anthropic proxy",
        base_url: `http://127.0.0.1:${port}/v1`,
        models: ["claude-sonnet-4-5"],
      });
      const resolved = await resolveModel(t.db, `${provider.id}:claude-sonnet-4-5`);
      expect(resolved.model.provider).toMatch(/^anthropic/);
      expect(resolved.model.modelId).toBe("claude-sonnet-4-5");
      await expect(
        generateText({ model: resolved.model, prompt: "hi", maxRetries: 0 }),
      ).rejects.toThrow();
      await call(patch, {
        token: admin.token,
        method: "PATCH",
        params: { id: provider.id },
        body: { api_key: "stored-anthropic-key" },
      });
      const again = await resolveModel(t.db, `${provider.id}:claude-sonnet-4-5`);
      await expect(
        generateText({ model: again.model, prompt: "hi", maxRetries: 0 }),
      ).rejects.toThrow();
      expect(seen).toEqual(["", "stored-anthropic-key"]);
    } finally {
      delete process.env.ANTHROPIC_API_KEY;
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe("egress", () => {
  it("dials the provider through the egress guard: a loopback base URL is refused when dialled", async () => {
    // A row the write-time check never saw (seeded, or stored before the check existed).
    const row = await insertModelProvider(t.db, {
      id: "6f1d3c2a-9b8e-4d7f-8a6b-5c4d3e2f1a0b",
      kind: "openai-compatible",
      displayName: "Loopback",
      baseUrl: fake.url,
      apiKeyEnc: null,
      models: ["fake-model"],
      defaultModel: "fake-model",
    });
    fake.reset();
    process.env.EGRESS_ALLOWLIST = "";
    try {
      const resolved = await resolveModel(t.db, `${row.id}:fake-model`);
      const err = await generateText({ model: resolved.model, prompt: "hi", maxRetries: 0 }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(findEgressError(err)?.code).toBe("egress.destination_not_allowed");
      expect(fake.requests()).toHaveLength(0);
    } finally {
      process.env.EGRESS_ALLOWLIST = "127.0.0.1";
    }
  });
});
