import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { auditEvents, modelProviders } from "@/db/schema";
import { call } from "@/lib/testing/http";
import { withTestDatabase } from "@/lib/testing/db";
import { seedUser } from "@/lib/testing/fixtures";
import { GET as models } from "../models/route";
import { DELETE as del, GET as getOne, PATCH as patch } from "./[id]/route";
import { GET as list, POST as create } from "./route";

const t = withTestDatabase();
let admin: Awaited<ReturnType<typeof seedUser>>;
let member: Awaited<ReturnType<typeof seedUser>>;

// Any of these in any response body or audit row is a leaked key.
const SECRET = "SENTINEL-provider-key-5e7a";
const MISSING_ID = "00000000-0000-4000-8000-000000000001";

const previousAllowlist = process.env.EGRESS_ALLOWLIST;
afterAll(() => {
  if (previousAllowlist === undefined) delete process.env.EGRESS_ALLOWLIST;
  else process.env.EGRESS_ALLOWLIST = previousAllowlist;
});

beforeAll(async () => {
  // The local model server these tests configure is on loopback: the operator allows it.
  process.env.EGRESS_ALLOWLIST = "localhost";
  admin = await seedUser(t.db, { role: "admin" });
  member = await seedUser(t.db, { role: "member" });
});

const base = (over: Record<string, unknown> = {}) => ({
  kind: "openai-compatible",
  display_name: "Local Ollama",
  base_url: "http://localhost:11434/v1",
  models: ["llama3.1:8b", "qwen2.5"],
  ...over,
});

async function createProvider(over: Record<string, unknown> = {}) {
  const res = await call(create, { token: admin.token, body: base(over) });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

const patchAs = (token: string, id: string, body: unknown) =>
  call(patch, { token, method: "PATCH", params: { id }, body });
const deleteAs = (token: string, id: string) =>
  call(del, { token, method: "DELETE", params: { id } });
const count = async () => (await t.db.select().from(modelProviders)).length;

describe("model providers API", () => {
  it("creates a local OpenAI-compatible provider (allowed by EGRESS_ALLOWLIST) with the first model as default", async () => {
    const p = await createProvider();
    expect(p).toMatchObject({
      kind: "openai-compatible",
      display_name: "Local Ollama",
      base_url: "http://localhost:11434/v1",
      has_api_key: false,
      models: ["llama3.1:8b", "qwen2.5"],
      default_model: "llama3.1:8b",
    });
    expect(p.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Object.keys(p).sort()).toEqual(
      [
        "id",
        "kind",
        "display_name",
        "base_url",
        "has_api_key",
        "models",
        "default_model",
        "created_at",
        "updated_at",
      ].sort(),
    );
    const got = await call(getOne, { token: admin.token, params: { id: p.id } });
    expect(got.body).toEqual(p);
  });

  it("fills the vendor base URL for openai and anthropic, and normalises a trailing slash", async () => {
    const openai = await createProvider({
      kind: "openai",
      display_name: "OpenAI",
      base_url: "",
      models: ["gpt-4o-mini"],
    });
    expect(openai.base_url).toBe("https://api.openai.com/v1");
    const anthropic = await createProvider({
      kind: "anthropic",
      display_name: "Anthropic",
      base_url: undefined,
      models: ["claude-sonnet-4-5", "claude-haiku-4-5"],
      default_model: "claude-haiku-4-5",
    });
    expect(anthropic).toMatchObject({
      base_url: "https://api.anthropic.com/v1",
      default_model: "claude-haiku-4-5",
    });
    const slash = await createProvider({ base_url: "https://llm.example.com/v1/" });
    expect(slash.base_url).toBe("https://llm.example.com/v1");
  });

  it("validates strictly, names the field and writes nothing", async () => {
    const cases: [unknown, string, string][] = [
      [{ ...base(), kind: undefined }, "validation.invalid", "kind"],
      [{ ...base(), models: undefined }, "validation.invalid", "models"],
      [{ ...base(), display_name: undefined }, "validation.invalid", "display_name"],
      [base({ kind: "mistral" }), "validation.invalid", "kind"],
      [base({ display_name: "" }), "validation.invalid", "display_name"],
      [base({ display_name: 42 }), "validation.invalid", "display_name"],
      [base({ models: "llama3" }), "validation.invalid", "models"],
      [base({ models: [] }), "validation.invalid", "models"],
      [base({ models: ["a", " "] }), "validation.invalid", "models[1]"],
      [base({ models: ["a", "b", "a"] }), "validation.invalid", "models[2]"],
      [
        base({ models: Array.from({ length: 201 }, (_, i) => `m${i}`) }),
        "validation.invalid",
        "models",
      ],
      [base({ models: ["x".repeat(201)] }), "validation.invalid", "models[0]"],
      [base({ default_model: "gpt-5" }), "validation.invalid", "default_model"],
      [base({ base_url: "" }), "validation.invalid", "base_url"],
      [base({ base_url: undefined }), "validation.invalid", "base_url"],
      [base({ base_url: "ftp://llm.example.com" }), "validation.invalid", "base_url"],
      [base({ base_url: "not a url" }), "validation.invalid", "base_url"],
      [base({ base_url: "https://u:p@llm.example.com/v1" }), "validation.invalid", "base_url"],
      [base({ api_key: 12 }), "validation.invalid", "api_key"],
      [base({ api_key: "a\r\nX-Injected: 1" }), "validation.invalid", "api_key"],
      // Header values are bytes: fetch would refuse this key at the first model call.
      [base({ api_key: "sk-🔑" }), "validation.invalid", "api_key"],
      [base({ api_key: "sk-ключ" }), "validation.invalid", "api_key"],
      // The server dials base_url: literal private and metadata addresses are refused at once.
      [base({ base_url: "http://10.0.0.1/v1" }), "egress.destination_not_allowed", "base_url"],
      [base({ base_url: "http://169.254.169.254/" }), "egress.destination_not_allowed", "base_url"],
      [base({ base_url: "http://[::1]:11434/v1" }), "egress.destination_not_allowed", "base_url"],
      [base({ secret_sauce: 1 }), "validation.unknown_field", "secret_sauce"],
    ];
    const before = await count();
    for (const [body, code, field] of cases) {
      const res = await call(create, { token: admin.token, body });
      const label = `${JSON.stringify(body).slice(0, 120)} → ${JSON.stringify(res.body)}`;
      expect(res.status, label).toBe(400);
      expect(res.body.code, label).toBe(code);
      expect(
        res.body.validations.map((v: { field: string }) => v.field),
        label,
      ).toContain(field);
    }
    const missing = await call(create, {
      token: admin.token,
      body: { ...base(), kind: undefined },
    });
    expect(missing.body.validations[0]).toEqual({ field: "kind", detail: "is required" });
    const huge = await call(create, {
      token: admin.token,
      body: base({ display_name: "x".repeat(1024 * 1024) }),
    });
    expect(huge.status).toBe(413);
    const notJson = await call(create, {
      token: admin.token,
      body: "kind=openai",
      headers: { "content-type": "text/plain" },
    });
    expect(notJson.status).toBe(415);
    expect(await count()).toBe(before);
  });

  it("answers 400 validation.id for a malformed id and 404 for an unknown one", async () => {
    for (const res of [
      await call(getOne, { token: admin.token, params: { id: "nope" } }),
      await patchAs(admin.token, "nope", { display_name: "x" }),
      await deleteAs(admin.token, "nope"),
    ]) {
      expect(res.status).toBe(400);
      expect(res.body.code).toBe("validation.id");
    }
    for (const res of [
      await call(getOne, { token: admin.token, params: { id: MISSING_ID } }),
      await patchAs(admin.token, MISSING_ID, { display_name: "x" }),
      await deleteAs(admin.token, MISSING_ID),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.code).toBe("model_provider.not_found");
    }
  });

  it("is admin-only; members get 403 and anonymous callers 401", async () => {
    const p = await createProvider({ display_name: "Guarded" });
    const before = await count();
    expect((await call(list, { token: member.token })).status).toBe(403);
    expect((await call(create, { token: member.token, body: base() })).status).toBe(403);
    expect((await call(getOne, { token: member.token, params: { id: p.id } })).status).toBe(403);
    expect((await patchAs(member.token, p.id, { display_name: "Mine" })).status).toBe(403);
    expect((await deleteAs(member.token, p.id)).status).toBe(403);
    expect((await call(list, {})).status).toBe(401);
    expect(await count()).toBe(before);
    const [row] = await t.db.select().from(modelProviders).where(eq(modelProviders.id, p.id));
    expect(row!.displayName).toBe("Guarded");
  });

  it("applies PATCH partially and keeps default_model among the models", async () => {
    const p = await createProvider({ display_name: "Patchable", models: ["a", "b", "c"] });
    const renamed = await patchAs(admin.token, p.id, { display_name: "Renamed" });
    expect(renamed.body).toMatchObject({
      display_name: "Renamed",
      models: ["a", "b", "c"],
      default_model: "a",
    });
    const def = await patchAs(admin.token, p.id, { default_model: "c" });
    expect(def.body.default_model).toBe("c");
    const bad = await patchAs(admin.token, p.id, { default_model: "z" });
    expect(bad.status).toBe(400);
    expect(bad.body.validations[0].field).toBe("default_model");
    const badPair = await patchAs(admin.token, p.id, { models: ["x"], default_model: "c" });
    expect(badPair.status).toBe(400);
    expect(badPair.body.validations[0].field).toBe("default_model");
    // Dropping the default model falls back to the first model.
    const shrunk = await patchAs(admin.token, p.id, { models: ["b", "a"] });
    expect(shrunk.body).toMatchObject({ models: ["b", "a"], default_model: "b" });
    const reset = await patchAs(admin.token, p.id, { default_model: "a" });
    expect(reset.body.default_model).toBe("a");
    const first = await patchAs(admin.token, p.id, { default_model: null });
    expect(first.body.default_model).toBe("b");
    const clearUrl = await patchAs(admin.token, p.id, { base_url: "" });
    expect(clearUrl.status).toBe(400);
    expect(clearUrl.body.validations[0].field).toBe("base_url");
    const unknown = await patchAs(admin.token, p.id, { has_api_key: true });
    expect(unknown.body.code).toBe("validation.unknown_field");
    const [row] = await t.db.select().from(modelProviders).where(eq(modelProviders.id, p.id));
    expect(row).toMatchObject({ displayName: "Renamed", models: ["b", "a"], defaultModel: "b" });
  });

  it("keeps, replaces and clears the api key explicitly; a new host drops it", async () => {
    const p = await createProvider({ display_name: "Keyed", api_key: "k-1" });
    expect(p.has_api_key).toBe(true);
    const [before] = await t.db.select().from(modelProviders).where(eq(modelProviders.id, p.id));
    const kept = await patchAs(admin.token, p.id, { display_name: "Keyed 2" });
    expect(kept.body.has_api_key).toBe(true);
    const [after] = await t.db.select().from(modelProviders).where(eq(modelProviders.id, p.id));
    expect(after!.apiKeyEnc).toBe(before!.apiKeyEnc);
    const replaced = await patchAs(admin.token, p.id, { api_key: "k-2" });
    expect(replaced.body.has_api_key).toBe(true);
    const [again] = await t.db.select().from(modelProviders).where(eq(modelProviders.id, p.id));
    expect(again!.apiKeyEnc).not.toBe(before!.apiKeyEnc);
    expect((await patchAs(admin.token, p.id, { api_key: null })).body.has_api_key).toBe(false);
    expect((await patchAs(admin.token, p.id, { api_key: "k-3" })).body.has_api_key).toBe(true);
    expect((await patchAs(admin.token, p.id, { api_key: "" })).body.has_api_key).toBe(false);

    // Same origin, other path: the key stays. Other origin without a key: the key is dropped,
    // so an admin cannot send a stored key to a host of their choosing.
    await patchAs(admin.token, p.id, { api_key: "k-4" });
    const path = await patchAs(admin.token, p.id, { base_url: "http://localhost:11434/api/v1" });
    expect(path.body.has_api_key).toBe(true);
    const moved = await patchAs(admin.token, p.id, {
      base_url: "https://elsewhere.example.com/v1",
    });
    expect(moved.body.has_api_key).toBe(false);
    const metadata = await patchAs(admin.token, p.id, { base_url: "http://169.254.169.254/v1" });
    expect(metadata.status).toBe(400);
    expect(metadata.body.code).toBe("egress.destination_not_allowed");
    expect(metadata.body.validations[0].field).toBe("base_url");
    const movedWithKey = await patchAs(admin.token, p.id, {
      base_url: "https://third.example.com/v1",
      api_key: "k-5",
    });
    expect(movedWithKey.body.has_api_key).toBe(true);
    const audit = await t.db.select().from(auditEvents).where(eq(auditEvents.targetId, p.id));
    const drop = audit.find(
      (a) => a.action === "model_provider.update" && a.detail.api_key_cleared === true,
    );
    expect(drop).toBeDefined();
  });

  it("switching kind from a vendor default moves to the new vendor's URL", async () => {
    const p = await createProvider({
      kind: "openai",
      display_name: "Switcher",
      base_url: "",
      api_key: "k",
      models: ["gpt-4o"],
    });
    const res = await patchAs(admin.token, p.id, { kind: "anthropic", models: ["claude-x"] });
    expect(res.body).toMatchObject({
      kind: "anthropic",
      base_url: "https://api.anthropic.com/v1",
      has_api_key: false,
      default_model: "claude-x",
    });
  });

  it("never returns the key, stores only ciphertext and keeps it out of the audit log", async () => {
    const a = await createProvider({ display_name: "Secret A", api_key: SECRET });
    const b = await createProvider({ display_name: "Secret B", api_key: `${SECRET}-b` });
    const patched = await patchAs(admin.token, b.id, {
      display_name: "Secret B2",
      api_key: `${SECRET}-b2`,
    });
    const bodies = [
      a,
      b,
      patched.body,
      (await call(list, { token: admin.token })).body,
      (await call(getOne, { token: admin.token, params: { id: a.id } })).body,
      (await call(models, { token: member.token })).body,
      (await call(models, { token: admin.token })).body,
    ];
    const text = JSON.stringify(bodies);
    expect(text).not.toContain("SENTINEL");
    expect(text).not.toContain("api_key_enc");
    expect(text).not.toContain("apiKeyEnc");

    const [raw] = await t.db.select().from(modelProviders).where(eq(modelProviders.id, a.id));
    expect(raw!.apiKeyEnc).toMatch(/^v1\.[0-9a-f]{12}\./);
    expect(raw!.apiKeyEnc).not.toContain("SENTINEL");
    const audit = await t.db.select().from(auditEvents);
    expect(JSON.stringify(audit)).not.toContain("SENTINEL");
  });

  it("deletes and audits create, update and delete", async () => {
    const p = await createProvider({ display_name: "Doomed" });
    await patchAs(admin.token, p.id, { models: ["only"] });
    const res = await deleteAs(admin.token, p.id);
    expect(res.status).toBe(204);
    expect((await call(getOne, { token: admin.token, params: { id: p.id } })).status).toBe(404);
    expect((await deleteAs(admin.token, p.id)).status).toBe(404);
    const audit = await t.db.select().from(auditEvents).where(eq(auditEvents.targetId, p.id));
    expect(audit.map((a) => a.action).sort()).toEqual([
      "model_provider.create",
      "model_provider.delete",
      "model_provider.update",
    ]);
    expect(audit.every((a) => a.actorId === admin.user.id)).toBe(true);
    expect(audit.find((a) => a.action === "model_provider.update")!.detail).toMatchObject({
      changed: ["models", "default_model"],
    });
  });

  it("lists providers oldest first", async () => {
    const res = await call(list, { token: admin.token });
    expect(res.status).toBe(200);
    const created = res.body.map((p: { created_at: string }) => p.created_at);
    expect(created).toEqual([...created].sort());
    expect(res.body[0].display_name).toBe("Local Ollama");
  });
});
