import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeOpenAI, type FakeOpenAI } from "@/e2e/fixtures/fake-openai";
import { call } from "@/lib/testing/http";
import { withTestDatabase } from "@/lib/testing/db";
import { seedUser } from "@/lib/testing/fixtures";
import { GET as listModels } from "./[id]/models/route";
import { POST as testProvider } from "./[id]/test/route";
import { POST as discover } from "./discover-models/route";
import { POST as create } from "./route";

const t = withTestDatabase();
const KEY = "SENTINEL-remote-key-93c1";
const LEAK = "UPSTREAM-BODY-LEAK-77";
let admin: Awaited<ReturnType<typeof seedUser>>;
let member: Awaited<ReturnType<typeof seedUser>>;
let fake: FakeOpenAI;
let anthropic: Server;
let anthropicUrl: string;
const anthropicSeen: { url: string; headers: IncomingHttpHeaders }[] = [];

const previousAllowlist = process.env.EGRESS_ALLOWLIST;

/** A small Anthropic models API: two pages, its own auth header, and some broken answers. */
function startAnthropic(): Promise<Server> {
  const server = createServer((req, res) => {
    anthropicSeen.push({ url: req.url ?? "", headers: req.headers });
    const url = new URL(req.url ?? "/", "http://x");
    const send = (status: number, body: string, type = "application/json") => {
      res.writeHead(status, { "content-type": type });
      res.end(body);
    };
    if (url.pathname === "/broken/v1/models") return send(500, `{"error":"${LEAK} ${KEY}"}`);
    if (url.pathname === "/html/v1/models") return send(200, "<html>hi</html>", "text/html");
    if (url.pathname !== "/v1/models") return send(404, "{}");
    if (req.headers["x-api-key"] !== KEY) return send(401, `{"error":"${LEAK}"}`);
    if (!url.searchParams.get("after_id")) {
      return send(
        200,
        JSON.stringify({
          data: [
            { id: "claude-b", display_name: "Claude B", type: "model" },
            { id: "bad\nname", display_name: "x", type: "model" },
          ],
          has_more: true,
          last_id: "claude-b",
        }),
      );
    }
    return send(
      200,
      JSON.stringify({
        data: [{ id: "claude-a", display_name: "Claude A", type: "model" }],
        has_more: false,
        last_id: "claude-a",
      }),
    );
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

beforeAll(async () => {
  process.env.EGRESS_ALLOWLIST = "127.0.0.1";
  admin = await seedUser(t.db, { role: "admin" });
  member = await seedUser(t.db, { role: "member" });
  fake = await startFakeOpenAI({ apiKey: KEY, models: ["zeta-model", "alpha-model"] });
  anthropic = await startAnthropic();
  anthropicUrl = `http://127.0.0.1:${(anthropic.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await fake?.close();
  anthropic?.close();
  if (previousAllowlist === undefined) delete process.env.EGRESS_ALLOWLIST;
  else process.env.EGRESS_ALLOWLIST = previousAllowlist;
});

async function provider(body: Record<string, unknown>) {
  const res = await call(create, {
    token: admin.token,
    body: { display_name: "P", models: ["alpha-model"], ...body },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}

const list = (id: string, token = admin.token) => call(listModels, { token, params: { id } });

function expectNoSecrets(res: { body: unknown }) {
  const text = JSON.stringify(res.body);
  expect(text).not.toContain(KEY);
  expect(text).not.toContain(LEAK);
}

describe("GET /api/model-providers/:id/models", () => {
  it("lists an OpenAI-compatible provider's models with its stored key, sorted", async () => {
    const id = await provider({ kind: "openai-compatible", base_url: fake.url, api_key: KEY });
    const res = await list(id);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({
      models: [{ id: "alpha-model" }, { id: "zeta-model" }],
      configured: ["alpha-model"],
    });
    expectNoSecrets(res);
  });

  it("says the key was refused, without the provider's words", async () => {
    const id = await provider({ kind: "openai", base_url: fake.url, api_key: "wrong-key" });
    const res = await list(id);
    expect(res.status).toBe(502);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.body.code).toBe("model_provider.auth_failed");
    expect(res.body.message).not.toContain("Incorrect API key");
  });

  it("pages through Anthropic's models API with x-api-key and a version header", async () => {
    const id = await provider({
      kind: "anthropic",
      base_url: `${anthropicUrl}/v1`,
      api_key: KEY,
      models: ["claude-a"],
    });
    anthropicSeen.length = 0;
    const res = await list(id);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.models).toEqual([
      { id: "claude-a", display_name: "Claude A" },
      { id: "claude-b", display_name: "Claude B" },
    ]);
    expect(anthropicSeen).toHaveLength(2);
    expect(anthropicSeen[1]!.url).toContain("after_id=claude-b");
    for (const seen of anthropicSeen) {
      expect(seen.headers["x-api-key"]).toBe(KEY);
      expect(seen.headers["anthropic-version"]).toBe("2023-06-01");
      expect(seen.headers.authorization).toBeUndefined();
    }
  });

  it("reports broken answers in its own words", async () => {
    for (const [path, code] of [
      ["/broken/v1", "model_provider.upstream_error"],
      ["/html/v1", "model_provider.bad_response"],
      ["/nowhere/v1", "model_provider.not_found"],
    ] as const) {
      const id = await provider({
        kind: "anthropic",
        base_url: `${anthropicUrl}${path}`,
        api_key: KEY,
      });
      const res = await list(id);
      expect(res.status, path).toBe(502);
      expect(res.body.code).toBe(code);
      expectNoSecrets(res);
    }
  });

  it("goes through the egress guard: loopback is refused once the allowlist drops it", async () => {
    const id = await provider({ kind: "openai-compatible", base_url: fake.url, api_key: KEY });
    process.env.EGRESS_ALLOWLIST = "";
    try {
      const res = await list(id);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe("egress.destination_not_allowed");
    } finally {
      process.env.EGRESS_ALLOWLIST = "127.0.0.1";
    }
  });

  it("is admin-only; an unknown provider is 404", async () => {
    const id = await provider({ kind: "openai-compatible", base_url: fake.url, api_key: KEY });
    expect((await list(id, member.token)).status).toBe(403);
    expect((await call(listModels, { params: { id } })).status).toBe(401);
    const missing = await list("00000000-0000-4000-8000-000000000009");
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe("model_provider.not_found");
    expect((await call(listModels, { token: admin.token, params: { id: "nope" } })).body.code).toBe(
      "validation.id",
    );
  });
});

describe("POST /api/model-providers/discover-models", () => {
  const run = (body: unknown, token = admin.token) => call(discover, { token, body });

  it("lists the models of a provider not saved yet, with the key from the form", async () => {
    const res = await run({ kind: "openai-compatible", base_url: fake.url, api_key: KEY });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.models.map((m: { id: string }) => m.id)).toEqual(["alpha-model", "zeta-model"]);
    expectNoSecrets(res);
    const noKey = await run({ kind: "openai-compatible", base_url: fake.url });
    expect(noKey.status).toBe(502);
    expect(noKey.body.code).toBe("model_provider.auth_failed");
  });

  it("validates strictly and refuses metadata addresses before dialling", async () => {
    const cases: [unknown, number, string, string?][] = [
      [{ kind: "openai-compatible" }, 400, "validation.invalid", "base_url"],
      [{ kind: "mystery", base_url: fake.url }, 400, "validation.invalid", "kind"],
      [{ kind: "openai", base_url: "ftp://x.example" }, 400, "validation.invalid", "base_url"],
      [{ kind: "openai", models: ["a"] }, 400, "validation.unknown_field", "models"],
      [{ kind: "openai", api_key: "a\r\nb" }, 400, "validation.invalid", "api_key"],
      [
        { kind: "openai", base_url: "http://169.254.169.254/v1" },
        400,
        "egress.destination_not_allowed",
        "base_url",
      ],
    ];
    for (const [body, status, code, field] of cases) {
      const res = await run(body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.code).toBe(code);
      if (field) expect(res.body.validations[0].field).toBe(field);
    }
    expect((await run({ kind: "openai", base_url: fake.url }, member.token)).status).toBe(403);
  });
});

describe("POST /api/model-providers/:id/test", () => {
  const test = (id: string, body?: unknown) =>
    call(testProvider, { token: admin.token, params: { id }, body: body ?? {} });

  it("sends one tiny request and says it worked", async () => {
    const id = await provider({
      kind: "openai-compatible",
      base_url: fake.url,
      api_key: KEY,
      models: ["alpha-model", "zeta-model"],
    });
    const before = fake.requests().length;
    const res = await test(id, { model: "zeta-model" });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ ok: true, model: "zeta-model", latency_ms: expect.any(Number) });
    const sent = fake.requests().slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.model).toBe("zeta-model");
    // The default model when none is named.
    expect((await test(id)).body.model).toBe("alpha-model");
  });

  it("reports a refused key as ok: false with a code, never the provider's body", async () => {
    const id = await provider({ kind: "openai-compatible", base_url: fake.url, api_key: "nope" });
    const res = await test(id);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      ok: false,
      model: "alpha-model",
      error: { code: "model_provider.auth_failed" },
    });
    expect(JSON.stringify(res.body)).not.toContain("Incorrect API key");
  });

  it("refuses a model the provider does not offer, and unknown fields", async () => {
    const id = await provider({ kind: "openai-compatible", base_url: fake.url, api_key: KEY });
    const before = fake.requests().length;
    const other = await test(id, { model: "zeta-model" });
    expect(other.status).toBe(400);
    expect(other.body.validations[0].field).toBe("model");
    const extra = await test(id, { model: "alpha-model", prompt: "hi" });
    expect(extra.status).toBe(400);
    expect(extra.body.code).toBe("validation.unknown_field");
    expect(fake.requests().length).toBe(before);
  });

  it("reports the egress guard's refusal as ok: false", async () => {
    const id = await provider({ kind: "openai-compatible", base_url: fake.url, api_key: KEY });
    process.env.EGRESS_ALLOWLIST = "";
    try {
      const res = await test(id);
      expect(res.status).toBe(200);
      expect(res.body.ok).toBe(false);
      expect(res.body.error.code).toBe("egress.destination_not_allowed");
    } finally {
      process.env.EGRESS_ALLOWLIST = "127.0.0.1";
    }
  });
});
