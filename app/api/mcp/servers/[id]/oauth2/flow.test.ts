import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, mcpServerConfigs, mcpServerUserTokens } from "@/db/schema";
import { findMcpServer } from "@/db/queries/mcp-servers";
import { startMcpTestServer, type RunningMcpTestServer } from "@/e2e/fixtures/mcp-test-server";
import { startOidcProvider, type OidcProviderHandle } from "@/e2e/fixtures/oidc-provider";
import { assembleTurnTools } from "@/lib/chat/tools/assemble";
import { turnContextOf } from "@/lib/chat/tools/context";
import { REDACTION_MARKER } from "@/lib/mcp/redact";
import { sealSecret, secretAad } from "@/lib/crypto/secrets";
import { authHeadersFor } from "@/lib/mcp-config/credentials";
import { freshMcpAccessToken } from "@/lib/mcp-config/token-refresh";
import { McpPool } from "@/lib/mcp/pool";
import { withTestDatabase } from "@/lib/testing/db";
import { seedUser } from "@/lib/testing/fixtures";
import { call, sessionCookie } from "@/lib/testing/http";
import { followToRedirectUri } from "@/lib/testing/oauth-browser";
import { GET as getOne, PATCH as patch } from "../../[id]/route";
import { POST as create } from "../../route";
import { GET as callback } from "./callback/route";
import { GET as connect } from "./connect/route";
import { DELETE as disconnect } from "./disconnect/route";

const t = withTestDatabase();
const previousAllowlist = process.env.EGRESS_ALLOWLIST;
let op: OidcProviderHandle;
let mcp: RunningMcpTestServer;
let admin: Awaited<ReturnType<typeof seedUser>>;
let member: Awaited<ReturnType<typeof seedUser>>;
let memberCookie: string;
let serverId: string;

/** A member's normal turn in a chat that selected the protected server. */
const memberTurn = () =>
  turnContextOf(
    { id: "c", parentChatId: null, workspaceId: null, mcpServerIds: [serverId] },
    { id: member.user.id, role: "member" },
    false,
    "root",
  );

beforeAll(async () => {
  // Every party listens on loopback, which the egress guard refuses unless allowlisted.
  process.env.EGRESS_ALLOWLIST = "127.0.0.1";
  op = await startOidcProvider({ autoLogin: "alice" });
  let resource = "";
  mcp = await startMcpTestServer({
    transports: ["streamable_http"],
    // A resource server that accepts only live tokens minted for exactly this resource.
    requireBearer: (token) =>
      op.verifyAccessToken(token, resource).then(
        () => true,
        () => false,
      ),
    protectedResource: { authorizationServers: [op.issuer], scopesSupported: ["mcp:tools"] },
  });
  resource = mcp.mcpUrl;
  admin = await seedUser(t.db, { role: "admin" });
  member = await seedUser(t.db, { role: "member" });
  memberCookie = await sessionCookie(member.user.id);
});
afterAll(async () => {
  await mcp?.close();
  await op?.close();
  if (previousAllowlist === undefined) delete process.env.EGRESS_ALLOWLIST;
  else process.env.EGRESS_ALLOWLIST = previousAllowlist;
});

const callbackPrefix = (id: string) => `http://toolgate.test/api/mcp/servers/${id}/oauth2/callback`;

/** connect (as the popup would) → provider (auto login + consent) → callback, in-process. */
async function connectAs(cookie: string, id = serverId) {
  const started = await call(connect, {
    cookie,
    params: { id },
    headers: { "sec-fetch-site": "same-origin" },
  });
  expect(started.status, String(started.body)).toBe(307);
  const authorizationUrl = started.headers.get("location")!;
  const redirect = await followToRedirectUri(authorizationUrl, callbackPrefix(id));
  const done = await call(callback, {
    cookie,
    params: { id },
    path: redirect.pathname + redirect.search,
  });
  return { authorizationUrl: new URL(authorizationUrl), redirect, done };
}

const tokenRow = async (userId = member.user.id) =>
  (
    await t.db
      .select()
      .from(mcpServerUserTokens)
      .where(
        and(eq(mcpServerUserTokens.serverId, serverId), eq(mcpServerUserTokens.userId, userId)),
      )
  )[0];

const row = async () => (await findMcpServer(t.db, serverId))!;

async function bearerFor(userId = member.user.id): Promise<string> {
  const auth = await authHeadersFor(t.db, await row(), userId);
  expect(auth.ok, JSON.stringify(auth)).toBe(true);
  return (auth as { headers: Record<string, string> }).headers.Authorization!.replace(
    "Bearer ",
    "",
  );
}

/** Makes the stored token look expired without waiting. */
const expireStoredToken = () =>
  t.db
    .update(mcpServerUserTokens)
    .set({ expiresAt: new Date(Date.now() - 1000) })
    .where(eq(mcpServerUserTokens.serverId, serverId));

describe("OAuth2 MCP server, end to end against oidc-provider", () => {
  it("is created by URL alone: discovered, and registered with the real callback URL", async () => {
    const res = await call(create, {
      token: admin.token,
      body: { display_name: "Protected", url: mcp.mcpUrl, auth_type: "oauth2", enabled: true },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    serverId = res.body.id;
    expect(res.body).toMatchObject({
      auth_type: "oauth2",
      oauth2_auth_url: `${op.issuer}/auth`,
      oauth2_token_url: `${op.issuer}/token`,
      oauth2_scopes: "mcp:tools",
      has_oauth2_secret: true,
      auth_connected: false,
    });
    expect(op.counters.registrations).toBe(1);
    const clientId = res.body.oauth2_client_id as string;
    expect(op.registeredClientIds).toEqual([clientId]);
    const client = await op.provider.Client.find(clientId);
    expect(client?.redirectUris).toEqual([callbackPrefix(serverId)]);
    expect(client?.clientAuthMethod).toBe("client_secret_basic");
    expect(await row()).toMatchObject({
      oauth2Issuer: op.issuer,
      oauth2Resource: mcp.mcpUrl,
      oauth2RevocationUrl: `${op.issuer}/token/revocation`,
      oauth2TokenAuthMethod: "client_secret_basic",
      oauth2IssRequired: true,
      oauth2Discovered: true,
    });
    // A slug clash is found before registering: no orphan client at the provider.
    const clash = await call(create, {
      token: admin.token,
      body: { display_name: "Protected", url: mcp.mcpUrl, auth_type: "oauth2" },
    });
    expect(clash.status).toBe(409);
    expect(op.counters.registrations).toBe(1);
  });

  it("a member with no token gets an auth_required notice on a chat turn", async () => {
    const assembled = await assembleTurnTools(t.db, memberTurn(), { pool: new McpPool() });
    expect(assembled.notices).toEqual([
      expect.objectContaining({ code: "mcp.auth_required", server_id: serverId }),
    ]);
  });

  it("connects: PKCE S256, state, resource; the token is stored sealed", async () => {
    const { authorizationUrl, redirect, done } = await connectAs(memberCookie);
    const q = authorizationUrl.searchParams;
    expect(authorizationUrl.origin + authorizationUrl.pathname).toBe(`${op.issuer}/auth`);
    expect(q.get("code_challenge_method")).toBe("S256");
    expect(q.get("code_challenge")).toMatch(/^[\w-]{43}$/);
    expect(q.get("state")).toMatch(/^[\w-]{43}$/);
    expect(q.get("resource")).toBe(mcp.mcpUrl);
    expect(q.get("scope")).toBe("mcp:tools");
    expect(q.get("redirect_uri")).toBe(callbackPrefix(serverId));
    expect(redirect.searchParams.get("iss")).toBe(op.issuer);

    expect(done.status).toBe(200);
    expect(done.headers.get("content-type")).toContain("text/html");
    expect(done.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(done.headers.get("referrer-policy")).toBe("no-referrer");
    expect(done.body).toContain(`{"type":"mcp-oauth2-complete","server_id":"${serverId}"}`);
    expect(done.body).toContain(`"http://toolgate.test"`);

    const stored = (await tokenRow())!;
    expect(stored.accessTokenEnc).toMatch(/^v1\./);
    expect(stored.refreshTokenEnc).toMatch(/^v1\./);
    expect(stored.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 3000_000);
    const bearer = await bearerFor();
    expect(stored.accessTokenEnc).not.toContain(bearer.slice(0, 20));
    const verified = await op.verifyAccessToken(bearer, mcp.mcpUrl);
    expect(verified).toMatchObject({ subject: "alice", audience: mcp.mcpUrl });

    const got = await call(getOne, { cookie: memberCookie, params: { id: serverId } });
    expect(got.body.auth_connected).toBe(true);
    const audit = await t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, "mcp_server.oauth2_connect"));
    expect(audit).toEqual([
      expect.objectContaining({ actorId: member.user.id, outcome: "success" }),
    ]);
  });

  it("a chat turn's tool call carries the bearer token through the pool", async () => {
    const pool = new McpPool();
    try {
      const assembled = await assembleTurnTools(t.db, memberTurn(), { pool });
      expect(assembled.notices).toEqual([]);
      const echo = assembled.tools["protected__echo"]!;
      mcp.clearRecords();
      const output = await echo.execute!({ text: "hi" }, { toolCallId: "t1", messages: [] });
      expect(output).toMatchObject({ is_error: false });
      const [callRecord] = mcp.toolCalls();
      expect(callRecord?.headers.authorization).toBe(`Bearer ${await bearerFor()}`);
      // A server echoing its request headers gets the user's access token redacted.
      const who = await assembled.tools["protected__whoami"]!.execute!(
        {},
        { toolCallId: "t2", messages: [] },
      );
      expect(JSON.stringify(who)).not.toContain(await bearerFor());
      expect(JSON.stringify(who)).toContain(REDACTION_MARKER);
    } finally {
      await pool.close();
    }
  });

  it("refreshes an expired token once, and the new token works", async () => {
    op.setAccessTokenTtl(1);
    await connectAs(memberCookie);
    op.setAccessTokenTtl(3600);
    const short = (await tokenRow())!;
    const expired = await bearerFor().catch(() => "");
    expect(expired).not.toBe(""); // a 1 s token is refreshed at once (refresh-before-expiry)
    await expireStoredToken();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    op.resetCounters();
    const fresh = await bearerFor();
    expect(op.counters.refreshTokenGrants).toBe(1);
    await expect(op.verifyAccessToken(fresh, mcp.mcpUrl)).resolves.toMatchObject({
      audience: mcp.mcpUrl,
    });
    expect(await bearerFor()).toBe(fresh);
    expect(op.counters.refreshTokenGrants).toBe(1);
    // Rotation: the refresh token in use now is not the one the connection started with.
    expect((await tokenRow())!.refreshTokenEnc).not.toBe(short.refreshTokenEnc);
  });

  it.each([
    ["in-process coalescing", true],
    ["the advisory lock alone", false],
  ])("20 concurrent callers after expiry cause one refresh (%s)", async (_label, coalesce) => {
    await expireStoredToken();
    op.resetCounters();
    const current = await row();
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        freshMcpAccessToken(t.db, current, member.user.id, { coalesce }),
      ),
    );
    expect(op.counters.refreshTokenGrants).toBe(1);
    expect(op.counters.tokenErrors).toBe(0);
    const tokens = new Set(results.map((r) => (r.ok ? r.accessToken : `failed:${r.reason}`)));
    expect(tokens.size).toBe(1);
    expect([...tokens][0]).not.toMatch(/^failed/);
    expect((await tokenRow())!.needsReconnect).toBe(false);
  });

  it("a transient refresh failure keeps the token", async () => {
    const stored = (await tokenRow())!;
    await t.db
      .update(mcpServerConfigs)
      .set({ oauth2TokenUrl: "http://127.0.0.1:9/token" })
      .where(eq(mcpServerConfigs.id, serverId));
    try {
      await t.db
        .update(mcpServerUserTokens)
        .set({ expiresAt: new Date(Date.now() + 20_000) })
        .where(eq(mcpServerUserTokens.id, stored.id));
      const auth = await authHeadersFor(t.db, await row(), member.user.id);
      expect(auth.ok).toBe(true); // still valid for 20 s: used as is
      await expireStoredToken();
      const expired = await authHeadersFor(t.db, await row(), member.user.id);
      expect(expired).toMatchObject({ ok: false, code: "mcp.auth_required" });
      const kept = (await tokenRow())!;
      expect(kept.needsReconnect).toBe(false);
      expect(kept.refreshTokenEnc).toBe(stored.refreshTokenEnc);
    } finally {
      await t.db
        .update(mcpServerConfigs)
        .set({ oauth2TokenUrl: `${op.issuer}/token` })
        .where(eq(mcpServerConfigs.id, serverId));
    }
  });

  it("invalid_grant marks the connection for reconnect and audits it", async () => {
    const stored = (await tokenRow())!;
    await t.db
      .update(mcpServerUserTokens)
      .set({
        refreshTokenEnc: sealSecret(
          "not-a-refresh-token",
          secretAad("mcp_server_user_tokens", "refresh_token_enc", stored.id),
        ),
        expiresAt: new Date(Date.now() - 1000),
      })
      .where(eq(mcpServerUserTokens.id, stored.id));
    const auth = await authHeadersFor(t.db, await row(), member.user.id);
    expect(auth).toMatchObject({ ok: false, code: "mcp.auth_required" });
    expect((auth as { message: string }).message).toContain("connect again");
    expect((await tokenRow())!.needsReconnect).toBe(true);
    const got = await call(getOne, { cookie: memberCookie, params: { id: serverId } });
    expect(got.body.auth_connected).toBe(false);
    const audit = await t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, "mcp_server.oauth2_refresh"));
    expect(audit.at(-1)).toMatchObject({
      outcome: "failure",
      actorId: member.user.id,
      detail: { reason: "invalid_grant", error: "invalid_grant" },
    });
    // Connecting again clears the flag.
    await connectAs(memberCookie);
    expect((await tokenRow())!.needsReconnect).toBe(false);
  });

  it("disconnect revokes at the provider, deletes only the caller's token, and is idempotent", async () => {
    await connectAs(await sessionCookie(admin.user.id));
    const bearer = await bearerFor();
    op.resetCounters();
    const res = await call(disconnect, {
      method: "DELETE",
      cookie: memberCookie,
      params: { id: serverId },
      headers: { "sec-fetch-site": "same-origin" },
    });
    expect(res.status).toBe(204);
    expect(op.counters.revocations).toBe(1);
    expect(await tokenRow()).toBeUndefined();
    expect(await tokenRow(admin.user.id)).toBeDefined();
    await expect(op.verifyAccessToken(bearer, mcp.mcpUrl)).rejects.toMatchObject({
      reason: "revoked",
    });
    const again = await call(disconnect, {
      method: "DELETE",
      token: member.token,
      params: { id: serverId },
    });
    expect(again.status).toBe(204);
    expect(op.counters.revocations).toBe(1);
    const got = await call(getOne, { cookie: memberCookie, params: { id: serverId } });
    expect(got.body.auth_connected).toBe(false);
  });

  it("a url change drops tokens and re-discovers; switching to oauth2 discovers too", async () => {
    expect(await tokenRow(admin.user.id)).toBeDefined();
    const before = await row();
    const registrations = op.counters.registrations;
    const moved = await call(patch, {
      method: "PATCH",
      token: admin.token,
      params: { id: serverId },
      body: { url: `${mcp.mcpUrl}?tenant=2` },
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    // The old registration belongs to the old URL: a new client, and no token survives.
    expect(moved.body.oauth2_client_id).not.toBe(before.oauth2ClientId);
    expect(op.counters.registrations).toBe(registrations + 1);
    expect(await tokenRow(admin.user.id)).toBeUndefined();

    const plain = await call(create, {
      token: admin.token,
      body: { display_name: "Later OAuth", url: mcp.mcpUrl },
    });
    const switched = await call(patch, {
      method: "PATCH",
      token: admin.token,
      params: { id: plain.body.id },
      body: { auth_type: "oauth2" },
    });
    expect(switched.status, JSON.stringify(switched.body)).toBe(200);
    expect(switched.body.oauth2_client_id).not.toBe("");
    expect(op.counters.registrations).toBe(registrations + 2);
    const client = await op.provider.Client.find(switched.body.oauth2_client_id);
    expect(client?.redirectUris).toEqual([callbackPrefix(plain.body.id)]);

    // A discovery that fails leaves the config as it was.
    const broken = await call(patch, {
      method: "PATCH",
      token: admin.token,
      params: { id: plain.body.id },
      body: { url: "http://127.0.0.1:9/mcp" },
    });
    expect(broken.status).toBe(400);
    expect(broken.body.code).toBe("mcp_server.oauth2_discovery_failed");
    expect(broken.body.message).toContain(
      "failed at http://127.0.0.1:9/.well-known/oauth-protected-resource/mcp: 127.0.0.1:9 could not be reached",
    );
    expect((await findMcpServer(t.db, plain.body.id))!.url).toBe(mcp.mcpUrl);
  });
});
