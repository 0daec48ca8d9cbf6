import { beforeAll, describe, expect, it } from "vitest";
import { call } from "@/lib/testing/http";
import { withTestDatabase } from "@/lib/testing/db";
import { seedUser } from "@/lib/testing/fixtures";
import { DELETE as del, PATCH as patch } from "../model-providers/[id]/route";
import { POST as create } from "../model-providers/route";
import { GET as models } from "./route";

const t = withTestDatabase();
let admin: Awaited<ReturnType<typeof seedUser>>;
let member: Awaited<ReturnType<typeof seedUser>>;

beforeAll(async () => {
  admin = await seedUser(t.db, { role: "admin" });
  member = await seedUser(t.db, { role: "member" });
});

async function createProvider(body: Record<string, unknown>) {
  const res = await call(create, { token: admin.token, body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string };
}

interface Option {
  id: string;
  provider_id: string;
  provider_name: string;
  name: string;
  is_default: boolean;
}

const listAs = async (token: string) => (await call<Option[]>(models, { token })).body;

describe("GET /api/models", () => {
  it("is empty with no provider, and needs a signed-in user", async () => {
    expect(await listAs(member.token)).toEqual([]);
    expect((await call(models, {})).status).toBe(401);
  });

  it("lists every model for any user, oldest provider first, with one default", async () => {
    const first = await createProvider({
      kind: "openai-compatible",
      display_name: "Ollama",
      base_url: "https://ollama.example.com/v1",
      models: ["llama3.1:8b", "qwen2.5:7b-instruct"],
      default_model: "qwen2.5:7b-instruct",
    });
    const second = await createProvider({
      kind: "anthropic",
      display_name: "Anthropic",
      api_key: "k",
      models: ["claude-sonnet-4-5"],
    });
    const body = await listAs(member.token);
    expect(body).toEqual([
      {
        id: `${first.id}:llama3.1:8b`,
        provider_id: first.id,
        provider_name: "Ollama",
        name: "llama3.1:8b",
        is_default: false,
      },
      {
        id: `${first.id}:qwen2.5:7b-instruct`,
        provider_id: first.id,
        provider_name: "Ollama",
        name: "qwen2.5:7b-instruct",
        is_default: true,
      },
      {
        id: `${second.id}:claude-sonnet-4-5`,
        provider_id: second.id,
        provider_name: "Anthropic",
        name: "claude-sonnet-4-5",
        is_default: false,
      },
    ]);

    // The default follows the oldest provider's own default model.
    await call(patch, {
      token: admin.token,
      method: "PATCH",
      params: { id: first.id },
      body: { default_model: "llama3.1:8b" },
    });
    const afterPatch = await listAs(member.token);
    expect(afterPatch.filter((o) => o.is_default).map((o) => o.name)).toEqual(["llama3.1:8b"]);

    // With the oldest provider gone, the next one's default takes over.
    await call(del, { token: admin.token, method: "DELETE", params: { id: first.id } });
    const afterDelete = await listAs(member.token);
    expect(afterDelete.map((o) => [o.name, o.is_default])).toEqual([["claude-sonnet-4-5", true]]);
  });
});
