import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import {
  auditEvents,
  chats,
  mcpServerConfigs,
  mcpServerTools,
  mcpServerUserTokens,
} from "@/db/schema";
import { call } from "@/lib/testing/http";
import { withTestDatabase } from "@/lib/testing/db";
import { seedUser } from "@/lib/testing/fixtures";
import { DELETE as del, GET as getOne, PATCH as patch } from "./[id]/route";
import { GET as list, POST as create } from "./route";

const t = withTestDatabase();
let admin: Awaited<ReturnType<typeof seedUser>>;
let member: Awaited<ReturnType<typeof seedUser>>;

// Sentinels: any of these in any response body is a leaked secret.
const SECRETS = {
  apiKey: "SENTINEL-api-key-6f1c",
  clientSecret: "SENTINEL-client-secret-9a2b",
  header: "SENTINEL-header-value-33d0",
};

beforeAll(async () => {
  admin = await seedUser(t.db, { role: "admin" });
  member = await seedUser(t.db, { role: "member" });
});

const base = (over: Record<string, unknown> = {}) => ({
  display_name: "Docs Search",
  url: "https://docs.example.com/mcp",
  ...over,
});

async function createServer(over: Record<string, unknown> = {}) {
  const res = await call(create, { token: admin.token, body: base(over) });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

const patchAs = (token: string, id: string, body: unknown, headers?: Record<string, string>) =>
  call(patch, { token, method: "PATCH", params: { id }, body, headers });

describe("MCP server configs API", () => {
  it("creates with defaults and a derived slug", async () => {
    const s = await createServer({
      display_name: "Ticketing Tools",
      url: "https://tickets.example.com/mcp",
    });
    expect(s).toMatchObject({
      display_name: "Ticketing Tools",
      slug: "ticketing-tools",
      description: "",
      icon_url: "",
      transport: "streamable_http",
      auth_type: "none",
      availability: "default_off",
      enabled: false,
      model_intent: false,
      allow_in_plan_mode: false,
      plan_mode_tools: null,
      forward_identity_headers: false,
      tool_allow_list: [],
      tool_deny_list: [],
      version: 1,
      auth_connected: true,
      status: { state: "unknown", checked_at: null },
      has_api_key: false,
      has_oauth2_secret: false,
      has_custom_headers: false,
      custom_header_names: [],
    });
    expect(s.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("round-trips every writable field", async () => {
    const s = await createServer({
      display_name: "Everything",
      slug: "everything",
      description: "All the tools",
      icon_url: "https://cdn.example.com/icon.svg",
      url: "https://everything.example.com/sse",
      transport: "sse",
      auth_type: "oauth2",
      oauth2_client_id: "client-1",
      oauth2_client_secret: SECRETS.clientSecret,
      oauth2_auth_url: "https://auth.example.com/authorize",
      oauth2_token_url: "https://auth.example.com/token",
      oauth2_scopes: "read write",
      tool_allow_list: ["echo", "add"],
      tool_deny_list: ["add"],
      availability: "default_on",
      enabled: true,
      model_intent: true,
      allow_in_plan_mode: true,
      plan_mode_tools: ["echo"],
      forward_identity_headers: true,
    });
    expect(s).toMatchObject({
      slug: "everything",
      transport: "sse",
      auth_type: "oauth2",
      oauth2_client_id: "client-1",
      has_oauth2_secret: true,
      oauth2_scopes: "read write",
      tool_allow_list: ["echo", "add"],
      tool_deny_list: ["add"],
      availability: "default_on",
      enabled: true,
      model_intent: true,
      allow_in_plan_mode: true,
      plan_mode_tools: ["echo"],
      forward_identity_headers: true,
      auth_connected: false,
    });
    const got = await call(getOne, { token: admin.token, params: { id: s.id } });
    expect(got.body).toEqual(s);
    expect(got.headers.get("etag")).toBe('"1"');
  });

  it("validates strictly and names the field", async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ slug: "Bad_Slug" }, "validation.invalid", "slug"],
      [{ slug: "-x" }, "validation.invalid", "slug"],
      [{ url: "ftp://x.example.com" }, "validation.invalid", "url"],
      [{ url: "https://user:pw@x.example.com/mcp" }, "validation.invalid", "url"],
      [{ url: "not a url" }, "validation.invalid", "url"],
      [{ availability: "always" }, "validation.invalid", "availability"],
      [{ transport: "websocket" }, "validation.invalid", "transport"],
      [{ auth_type: "basic" }, "validation.invalid", "auth_type"],
      [{ enabled: "yes" }, "validation.invalid", "enabled"],
      [{ display_name: "" }, "validation.invalid", "display_name"],
      [
        { auth_type: "api_key", api_key_header: "X-Key" },
        "mcp_server.auth_type_incomplete",
        "api_key_value",
      ],
      [
        { auth_type: "api_key", api_key_value: "v" },
        "mcp_server.auth_type_incomplete",
        "api_key_header",
      ],
      [
        { auth_type: "api_key", api_key_header: "Bad Header", api_key_value: "v" },
        "validation.invalid",
        "api_key_header",
      ],
      [
        { auth_type: "api_key", api_key_header: "X-Key", api_key_value: "a\r\nInjected: 1" },
        "validation.invalid",
        "api_key_value",
      ],
      [{ auth_type: "custom_headers" }, "mcp_server.auth_type_incomplete", "custom_headers"],
      [
        { auth_type: "custom_headers", custom_headers: { "X-A": "1\n2" } },
        "validation.invalid",
        "custom_headers.X-A",
      ],
      [
        { auth_type: "custom_headers", custom_headers: { Connection: "close" } },
        "validation.invalid",
        "custom_headers",
      ],
      [
        { auth_type: "custom_headers", custom_headers: { "X-A": "1", "x-a": "2" } },
        "validation.invalid",
        "custom_headers.x-a",
      ],
      [{ auth_type: "none", api_key_header: "X-Key" }, "validation.invalid", "api_key_header"],
      [
        { auth_type: "oauth2", oauth2_client_id: "c" },
        "mcp_server.oauth2_partial",
        "oauth2_auth_url",
      ],
      // No client given: discovery runs, and a name that never resolves (RFC 6761) fails it.
      [
        { auth_type: "oauth2", url: "https://mcp.example.invalid/mcp" },
        "mcp_server.oauth2_discovery_failed",
        "url",
      ],
      [{ url: "http://127.0.0.1:8080/mcp" }, "egress.destination_not_allowed", "url"],
      [{ url: "http://localhost:8080/mcp" }, "egress.destination_not_allowed", "url"],
      [{ url: "http://169.254.169.254/latest" }, "egress.destination_not_allowed", "url"],
      [{ url: "http://[::1]/mcp" }, "egress.destination_not_allowed", "url"],
      [{ secret_sauce: 1 }, "validation.unknown_field", "secret_sauce"],
      // Icons are loaded by browsers: https or data: images only, and paths that stay here.
      [{ icon_url: "http://10.0.0.1/icon.png" }, "validation.invalid", "icon_url"],
      [{ icon_url: "http://169.254.169.254/x" }, "validation.invalid", "icon_url"],
      [{ icon_url: "javascript:alert(1)" }, "validation.invalid", "icon_url"],
      [{ icon_url: "data:text/html,<script>1</script>" }, "validation.invalid", "icon_url"],
      [{ icon_url: "/\\evil.example/icon.png" }, "validation.invalid", "icon_url"],
      [{ icon_url: "/\t/evil.example/icon.png" }, "validation.invalid", "icon_url"],
      // Header values are bytes on the wire: refused when written, naming the header.
      [
        { auth_type: "custom_headers", custom_headers: { "X-Team": "🚀" } },
        "validation.invalid",
        "custom_headers.X-Team",
      ],
      [
        { auth_type: "api_key", api_key_header: "X-Key", api_key_value: "ключ" },
        "validation.invalid",
        "api_key_value",
      ],
    ];
    const before = (await t.db.select().from(mcpServerConfigs)).length;
    for (const [over, code, field] of cases) {
      const res = await call(create, {
        token: admin.token,
        body: base({ slug: "v-check", ...over }),
      });
      expect(res.status, `${JSON.stringify(over)} → ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.body.code, JSON.stringify(over)).toBe(code);
      expect(
        res.body.validations.map((v: { field: string }) => v.field).join(" "),
        JSON.stringify(over),
      ).toContain(field);
    }
    const missing = await call(create, { token: admin.token, body: { display_name: "No URL" } });
    expect(missing.status).toBe(400);
    expect(missing.body.validations[0]).toEqual({ field: "url", detail: "is required" });
    const huge = await call(create, {
      token: admin.token,
      body: base({ description: "x".repeat(1024 * 1024) }),
    });
    expect(huge.status).toBe(413);
    expect((await t.db.select().from(mcpServerConfigs)).length).toBe(before);
  });

  it("takes https, data:image and same-site path icons, and Latin-1 header values", async () => {
    for (const icon_url of [
      "https://cdn.example.com/i.png",
      "data:image/png;base64,iVBORw0K",
      "/icons/a.svg",
    ]) {
      const s = await createServer({ display_name: `Icon ${icon_url.slice(0, 12)}`, icon_url });
      expect(s.icon_url).toBe(icon_url);
    }
    const latin = await createServer({
      display_name: "Latin-1 header",
      auth_type: "custom_headers",
      custom_headers: { "X-Team": "Équipe Zürich\tø" },
    });
    expect(latin.custom_header_names).toEqual(["X-Team"]);
  });

  it("allows a literal private address that EGRESS_ALLOWLIST names", async () => {
    process.env.EGRESS_ALLOWLIST = "127.0.0.1";
    try {
      const s = await createServer({ display_name: "Local", url: "http://127.0.0.1:9/mcp" });
      expect(s.url).toBe("http://127.0.0.1:9/mcp");
    } finally {
      delete process.env.EGRESS_ALLOWLIST;
    }
  });

  it("answers 409 on a slug conflict", async () => {
    await createServer({ display_name: "Dup One", slug: "dup" });
    const res = await call(create, {
      token: admin.token,
      body: base({ display_name: "Dup Two", slug: "dup" }),
    });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe("mcp_server.slug_conflict");
    const s = await createServer({ display_name: "Dup Three", slug: "dup-3" });
    const renamed = await patchAs(admin.token, s.id, { slug: "dup" });
    expect(renamed.status).toBe(409);
  });

  it("forbids member writes and tests, and hides disabled servers as missing", async () => {
    const s = await createServer({ display_name: "Hidden", enabled: false });
    const visible = await createServer({ display_name: "Shown", enabled: true });
    expect((await call(create, { token: member.token, body: base() })).status).toBe(403);
    expect((await patchAs(member.token, visible.id, { enabled: false })).status).toBe(403);
    expect(
      (await call(del, { token: member.token, method: "DELETE", params: { id: visible.id } }))
        .status,
    ).toBe(403);

    const hidden = await call(getOne, { token: member.token, params: { id: s.id } });
    const missing = await call(getOne, {
      token: member.token,
      params: { id: "00000000-0000-4000-8000-000000000001" },
    });
    expect(hidden.status).toBe(404);
    expect(hidden.body).toEqual(missing.body);
    expect((await call(getOne, { token: member.token, params: { id: "nope" } })).body.code).toBe(
      "validation.id",
    );

    const memberList = await call(list, { token: member.token });
    expect(memberList.body.every((c: { enabled: boolean }) => c.enabled)).toBe(true);
    expect(memberList.body.map((c: { id: string }) => c.id)).toContain(visible.id);
    expect(memberList.body.map((c: { id: string }) => c.id)).not.toContain(s.id);
  });

  it("redacts connection and auth details for members", async () => {
    const s = await createServer({
      display_name: "Redacted",
      enabled: true,
      auth_type: "api_key",
      api_key_header: "X-Secret-Header-Name",
      api_key_value: SECRETS.apiKey,
    });
    const res = await call(getOne, { token: member.token, params: { id: s.id } });
    expect(res.body).toMatchObject({
      url: "",
      transport: "",
      api_key_header: "",
      oauth2_client_id: "",
      oauth2_auth_url: "",
      oauth2_token_url: "",
      oauth2_scopes: "",
      custom_header_names: [],
      has_api_key: true,
      auth_type: "api_key",
    });
  });

  it("never returns a secret, to admins or members, in any response", async () => {
    const a = await createServer({
      display_name: "Secret Keeper",
      enabled: true,
      auth_type: "custom_headers",
      custom_headers: { "X-Team-Token": SECRETS.header, "X-Other": SECRETS.header },
    });
    expect(a.custom_header_names).toEqual(["X-Team-Token", "X-Other"]);
    expect(a.has_custom_headers).toBe(true);
    const b = await createServer({
      display_name: "Key Keeper",
      enabled: true,
      auth_type: "api_key",
      api_key_header: "X-Api-Key",
      api_key_value: SECRETS.apiKey,
    });
    const patched = await patchAs(admin.token, b.id, {
      description: "touched",
      api_key_value: SECRETS.apiKey + "2",
    });
    const bodies = [
      a,
      b,
      patched.body,
      (await call(list, { token: admin.token })).body,
      (await call(list, { token: member.token })).body,
      (await call(getOne, { token: admin.token, params: { id: a.id } })).body,
      (await call(getOne, { token: member.token, params: { id: b.id } })).body,
    ];
    const text = JSON.stringify(bodies);
    for (const secret of Object.values(SECRETS)) expect(text).not.toContain(secret);
    expect(text).not.toContain("SENTINEL");

    // At rest: ciphertext only, bound to the row.
    const [raw] = await t.db.select().from(mcpServerConfigs).where(eq(mcpServerConfigs.id, a.id));
    expect(raw!.customHeadersEnc).toMatch(/^v1\.[0-9a-f]{12}\./);
    expect(raw!.customHeadersEnc).not.toContain("SENTINEL");
    const [rawB] = await t.db.select().from(mcpServerConfigs).where(eq(mcpServerConfigs.id, b.id));
    expect(rawB!.apiKeyValueEnc).toMatch(/^v1\./);
    const audit = await t.db.select().from(auditEvents);
    expect(JSON.stringify(audit)).not.toContain("SENTINEL");
  });

  it("applies PATCH partially, bumps the version and honours If-Match", async () => {
    const s = await createServer({ display_name: "Versioned", description: "one" });
    const ok = await patchAs(admin.token, s.id, { description: "two" }, { "If-Match": '"1"' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ description: "two", display_name: "Versioned", version: 2 });
    expect(ok.headers.get("etag")).toBe('"2"');
    const stale = await patchAs(admin.token, s.id, { description: "three" }, { "If-Match": "1" });
    expect(stale.status).toBe(412);
    expect(stale.body.code).toBe("mcp_server.version_conflict");
    const staleBody = await patchAs(admin.token, s.id, { description: "three", version: 1 });
    expect(staleBody.status).toBe(412);
    const badHeader = await patchAs(
      admin.token,
      s.id,
      { description: "three" },
      { "If-Match": "abc" },
    );
    expect(badHeader.status).toBe(400);
    const noop = await patchAs(admin.token, s.id, { description: "two" });
    expect(noop.body.version).toBe(2);
    const [row] = await t.db.select().from(mcpServerConfigs).where(eq(mcpServerConfigs.id, s.id));
    expect(row!.description).toBe("two");
  });

  it("keeps, replaces and clears secrets explicitly", async () => {
    const s = await createServer({
      display_name: "Headers",
      auth_type: "custom_headers",
      custom_headers: { "X-One": "1", "X-Two": "2" },
    });
    const kept = await patchAs(admin.token, s.id, {
      custom_headers: { "X-One": null, "X-Three": "3" },
    });
    expect(kept.status).toBe(200);
    expect(kept.body.custom_header_names).toEqual(["X-One", "X-Three"]);
    const nothingToKeep = await patchAs(admin.token, s.id, { custom_headers: { "X-Nine": null } });
    expect(nothingToKeep.status).toBe(400);
    expect(nothingToKeep.body.validations[0].field).toBe("custom_headers.X-Nine");
    const empty = await patchAs(admin.token, s.id, { custom_headers: {} });
    expect(empty.body.code).toBe("mcp_server.auth_type_incomplete");

    const k = await createServer({
      display_name: "Key",
      auth_type: "oauth2",
      oauth2_client_id: "c",
      oauth2_client_secret: "s",
      oauth2_auth_url: "https://a.example.com/auth",
      oauth2_token_url: "https://a.example.com/token",
    });
    const cleared = await patchAs(admin.token, k.id, { oauth2_client_secret: null });
    expect(cleared.body.has_oauth2_secret).toBe(false);
    const untouched = await patchAs(admin.token, k.id, { oauth2_scopes: "x" });
    expect(untouched.body.has_oauth2_secret).toBe(false);
  });

  it("clears the other auth types' fields when auth_type changes, user_oidc included", async () => {
    const s = await createServer({
      display_name: "Switcher",
      auth_type: "api_key",
      api_key_header: "X-Api-Key",
      api_key_value: "k",
    });
    const res = await patchAs(admin.token, s.id, { auth_type: "user_oidc" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      auth_type: "user_oidc",
      api_key_header: "",
      has_api_key: false,
    });
    const [row] = await t.db.select().from(mcpServerConfigs).where(eq(mcpServerConfigs.id, s.id));
    expect(row!.apiKeyValueEnc).toBeNull();

    const direct = await createServer({ display_name: "OIDC Direct", auth_type: "user_oidc" });
    expect(direct).toMatchObject({
      auth_type: "user_oidc",
      has_api_key: false,
      has_custom_headers: false,
    });
    // A user without an OIDC sign-in has no token to forward.
    expect(direct.auth_connected).toBe(false);
    const foreign = await patchAs(admin.token, direct.id, { api_key_header: "X" });
    expect(foreign.status).toBe(400);
  });

  it("drops every user's token when url or auth_type changes, not otherwise", async () => {
    const s = await createServer({
      display_name: "Tokens",
      auth_type: "oauth2",
      oauth2_client_id: "c",
      oauth2_auth_url: "https://a.example.com/auth",
      oauth2_token_url: "https://a.example.com/token",
    });
    const seed = async () =>
      t.db.insert(mcpServerUserTokens).values([
        { serverId: s.id, userId: admin.user.id, accessTokenEnc: "v1.x.y" },
        { serverId: s.id, userId: member.user.id, accessTokenEnc: "v1.x.y" },
      ]);
    const count = async () =>
      (await t.db.select().from(mcpServerUserTokens).where(eq(mcpServerUserTokens.serverId, s.id)))
        .length;
    await seed();
    await patchAs(admin.token, s.id, { description: "harmless" });
    expect(await count()).toBe(2);
    await patchAs(admin.token, s.id, { url: "https://moved.example.com/mcp" });
    expect(await count()).toBe(0);
    await seed();
    await patchAs(admin.token, s.id, { auth_type: "none" });
    expect(await count()).toBe(0);
  });

  it("deletes, removing the id from chats, and audits create/update/delete", async () => {
    const s = await createServer({ display_name: "Doomed" });
    const keep = await createServer({ display_name: "Keeper" });
    const [chat] = await t.db
      .insert(chats)
      .values({ ownerId: member.user.id, mcpServerIds: [s.id, keep.id] })
      .returning();
    await patchAs(admin.token, s.id, { enabled: true, availability: "force_on" });
    const res = await call(del, { token: admin.token, method: "DELETE", params: { id: s.id } });
    expect(res.status).toBe(204);
    expect((await call(getOne, { token: admin.token, params: { id: s.id } })).status).toBe(404);
    expect(
      (await call(del, { token: admin.token, method: "DELETE", params: { id: s.id } })).status,
    ).toBe(404);
    const [after] = await t.db.select().from(chats).where(eq(chats.id, chat!.id));
    expect(after!.mcpServerIds).toEqual([keep.id]);

    const audit = await t.db.select().from(auditEvents).where(eq(auditEvents.targetId, s.id));
    expect(audit.map((a) => a.action).sort()).toEqual([
      "mcp_server.create",
      "mcp_server.delete",
      "mcp_server.update",
    ]);
    const update = audit.find((a) => a.action === "mcp_server.update")!;
    expect(update.detail).toMatchObject({ changed: ["availability", "enabled"] });
  });

  it("lists what was just written, though the list is kept between changes", async () => {
    const s = await createServer({ display_name: "Cached List", enabled: false });
    const find = (body: { id: string }[]) => body.find((c) => c.id === s.id);
    const first = await call(list, { token: admin.token });
    expect(find(first.body)).toMatchObject({ enabled: false, tools_pending_review: 0 });
    expect((await call(list, { token: admin.token })).body).toEqual(first.body);
    expect(find((await call(list, { token: member.token })).body)).toBeUndefined();

    await patchAs(admin.token, s.id, { enabled: true });
    expect(find((await call(list, { token: admin.token })).body)).toMatchObject({
      enabled: true,
      url: "https://docs.example.com/mcp",
    });
    // Members get the enabled server, redacted, and no review count.
    const seen = find((await call(list, { token: member.token })).body);
    expect(seen).toMatchObject({ enabled: true, url: "" });
    expect(seen).not.toHaveProperty("tools_pending_review");

    await t.db.insert(mcpServerTools).values({
      serverId: s.id,
      name: "echo",
      definition: { name: "echo" },
      definitionHash: "sha256:00",
      status: "changed",
    });
    expect(find((await call(list, { token: admin.token })).body)).toMatchObject({
      tools_pending_review: 1,
    });
  });

  it("lists servers sorted by display name", async () => {
    const res = await call(list, { token: admin.token });
    const names = res.body.map((c: { display_name: string }) => c.display_name.toLowerCase());
    expect(names).toEqual([...names].sort());
  });
});
