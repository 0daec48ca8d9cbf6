import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditEvents, mcpOauthStates, mcpServerConfigs, mcpServerUserTokens } from "@/db/schema";
import { withTestDatabase } from "@/lib/testing/db";
import { seedUser } from "@/lib/testing/fixtures";
import { call, sessionCookie } from "@/lib/testing/http";
import { startStubServer, type StubServer } from "@/lib/testing/stub-server";
import { POST as create } from "../../route";
import { GET as callback } from "./callback/route";
import { GET as connect } from "./connect/route";
import { DELETE as disconnect } from "./disconnect/route";

const t = withTestDatabase();
const previousAllowlist = process.env.EGRESS_ALLOWLIST;
let as: StubServer;
let admin: Awaited<ReturnType<typeof seedUser>>;
let alice: Awaited<ReturnType<typeof seedUser>>;
let mallory: Awaited<ReturnType<typeof seedUser>>;
let aliceCookie: string;
let malloryCookie: string;
let serverId: string;
let otherServerId: string;

beforeAll(async () => {
  process.env.EGRESS_ALLOWLIST = "127.0.0.1";
  as = await startStubServer();
  admin = await seedUser(t.db, { role: "admin" });
  alice = await seedUser(t.db);
  mallory = await seedUser(t.db);
  aliceCookie = await sessionCookie(alice.user.id);
  malloryCookie = await sessionCookie(mallory.user.id);
  const make = async (name: string, enabled = true) => {
    const res = await call(create, {
      token: admin.token,
      body: {
        display_name: name,
        url: "https://mcp.example.com/mcp",
        auth_type: "oauth2",
        oauth2_client_id: "client-1",
        oauth2_client_secret: "secret-1",
        oauth2_auth_url: "https://as.example.com/authorize",
        oauth2_token_url: `${as.origin}/token`,
        enabled,
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  };
  serverId = await make("Manual OAuth <b>");
  otherServerId = await make("Other");
});
afterAll(async () => {
  await as.close();
  if (previousAllowlist === undefined) delete process.env.EGRESS_ALLOWLIST;
  else process.env.EGRESS_ALLOWLIST = previousAllowlist;
});
beforeEach(() =>
  as.setRoutes({
    "POST /token": {
      body: { access_token: "at-1", token_type: "Bearer", expires_in: 3600, refresh_token: "rt-1" },
    },
  }),
);

async function startFlow(cookie: string, id = serverId) {
  const res = await call(connect, {
    cookie,
    params: { id },
    headers: { "sec-fetch-site": "same-origin" },
  });
  expect(res.status, String(res.body)).toBe(307);
  return new URL(res.headers.get("location")!).searchParams.get("state")!;
}

const finish = (cookie: string | undefined, query: Record<string, string>, id = serverId) =>
  call(callback, {
    ...(cookie && { cookie }),
    params: { id },
    path: `/api/mcp/servers/${id}/oauth2/callback?${new URLSearchParams(query)}`,
  });

const tokensOf = (userId: string) =>
  t.db.select().from(mcpServerUserTokens).where(eq(mcpServerUserTokens.userId, userId));

describe("connect", () => {
  it("redirects with a fresh state stored only as a hash, with a sealed verifier", async () => {
    const res = await call(connect, { cookie: aliceCookie, params: { id: serverId } });
    expect(res.status).toBe(307);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const url = new URL(res.headers.get("location")!);
    expect(url.origin + url.pathname).toBe("https://as.example.com/authorize");
    expect(url.searchParams.get("resource")).toBe("https://mcp.example.com/mcp");
    const state = url.searchParams.get("state")!;
    const rows = await t.db
      .select()
      .from(mcpOauthStates)
      .where(eq(mcpOauthStates.userId, alice.user.id));
    const serialized = JSON.stringify(rows);
    expect(serialized).not.toContain(state);
    expect(rows.at(-1)!.codeVerifierEnc).toMatch(/^v1\./);
    expect(rows.at(-1)!.expiresAt.getTime() - Date.now()).toBeGreaterThan(9 * 60_000);
  });

  it("refuses a cross-site navigation with a cookie, but allows a bearer API token", async () => {
    const forged = await call(connect, {
      cookie: aliceCookie,
      params: { id: serverId },
      headers: { "sec-fetch-site": "cross-site" },
    });
    expect(forged.status).toBe(403);
    expect(forged.body.code).toBe("csrf.rejected");
    const scripted = await call(connect, { token: alice.token, params: { id: serverId } });
    expect(scripted.status).toBe(307);
  });

  it("answers 401 without credentials, 404 for a hidden server and 400 for a non-OAuth2 one", async () => {
    expect((await call(connect, { params: { id: serverId } })).status).toBe(401);
    const hidden = await call(create, {
      token: admin.token,
      body: { display_name: "Hidden", url: "https://h.example.com/mcp" },
    });
    const missing = await call(connect, { cookie: aliceCookie, params: { id: hidden.body.id } });
    expect(missing.status).toBe(404);
    const none = await call(connect, { token: admin.token, params: { id: hidden.body.id } });
    expect(none.status).toBe(400);
    expect(none.body.code).toBe("mcp_server.not_oauth2");
  });
});

describe("callback attacks", () => {
  it("completes once; the same state again is refused", async () => {
    const state = await startFlow(aliceCookie);
    const ok = await finish(aliceCookie, { code: "c1", state });
    expect(ok.status).toBe(200);
    expect(ok.body).toContain("mcp-oauth2-complete");
    // The display name is escaped, never markup.
    expect(ok.body).toContain("Connected to Manual OAuth &#60;b&#62;");
    const exchange = as.requests.find((r) => r.path === "/token")!;
    expect(new URLSearchParams(exchange.body).get("code_verifier")).toMatch(/^[\w-]{43}$/);
    expect(await tokensOf(alice.user.id)).toHaveLength(1);

    const replay = await finish(aliceCookie, { code: "c1", state });
    expect(replay.status).toBe(400);
    expect(replay.body).toContain("already used");
    expect(replay.body).not.toContain("mcp-oauth2-complete");
  });

  it("refuses a missing or unknown state without reflecting the query", async () => {
    const missing = await finish(aliceCookie, { code: "c" });
    expect(missing.status).toBe(400);
    expect(missing.body).toContain("has no state");
    const probe = "<img src=x onerror=alert(1)>";
    const wrong = await finish(aliceCookie, { code: probe, state: probe, error: probe });
    expect(wrong.status).toBe(400);
    expect(wrong.body).not.toContain("<img");
    expect(wrong.body).not.toContain("onerror");
    expect(wrong.headers.get("content-security-policy")).toMatch(/script-src 'nonce-[^']+'/);
  });

  it("refuses a state older than 10 minutes", async () => {
    const state = await startFlow(aliceCookie);
    await t.db.update(mcpOauthStates).set({ expiresAt: new Date(Date.now() - 1) });
    const res = await finish(aliceCookie, { code: "c", state });
    expect(res.status).toBe(400);
    expect(res.body).toContain("longer than 10 minutes");
  });

  it("refuses a callback in another user's session, and spends the state", async () => {
    await t.db.delete(mcpServerUserTokens);
    const state = await startFlow(malloryCookie);
    const res = await finish(aliceCookie, { code: "mallorys-code", state });
    expect(res.status).toBe(403);
    expect(res.body).toContain("another toolgate account");
    expect(await tokensOf(alice.user.id)).toHaveLength(0);
    expect(await tokensOf(mallory.user.id)).toHaveLength(0);
    expect(as.requests.filter((r) => r.path === "/token")).toHaveLength(0);
    const mine = await finish(malloryCookie, { code: "mallorys-code", state });
    expect(mine.status).toBe(400);
    const [audit] = await t.db.select().from(auditEvents).where(eq(auditEvents.outcome, "denied"));
    expect(audit).toMatchObject({
      actorId: alice.user.id,
      detail: { reason: "state_user_mismatch" },
    });
  });

  it("refuses a state of another server, a callback without a session, or from an API token", async () => {
    const state = await startFlow(aliceCookie, otherServerId);
    expect((await finish(aliceCookie, { code: "c", state })).status).toBe(400);
    const state2 = await startFlow(aliceCookie);
    expect((await finish(undefined, { code: "c", state: state2 })).status).toBe(401);
    const viaToken = await call(callback, {
      token: alice.token,
      params: { id: serverId },
      path: `/api/mcp/servers/${serverId}/oauth2/callback?code=c&state=${state2}`,
    });
    expect(viaToken.status).toBe(401);
  });

  it("checks iss against the known issuer, and requires it when promised (RFC 9207)", async () => {
    await t.db
      .update(mcpServerConfigs)
      .set({ oauth2Issuer: "https://as.example.com", oauth2IssRequired: true })
      .where(eq(mcpServerConfigs.id, serverId));
    const wrong = await finish(aliceCookie, {
      code: "c",
      state: await startFlow(aliceCookie),
      iss: "https://evil.example.com",
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toContain("different authorization server");
    expect(wrong.body).not.toContain("evil.example.com");
    const absent = await finish(aliceCookie, { code: "c", state: await startFlow(aliceCookie) });
    expect(absent.status).toBe(400);
    const right = await finish(aliceCookie, {
      code: "c",
      state: await startFlow(aliceCookie),
      iss: "https://as.example.com",
    });
    expect(right.status).toBe(200);
  });

  it("names a registered provider error code, nothing else", async () => {
    const denied = await finish(aliceCookie, {
      state: await startFlow(aliceCookie),
      error: "access_denied",
      error_description: "<b>nope</b>",
    });
    expect(denied.status).toBe(400);
    expect(denied.body).toContain("did not grant access (access_denied)");
    expect(denied.body).not.toContain("nope");
  });

  it("reports a failed code exchange without the provider's words", async () => {
    as.setRoutes({
      "POST /token": {
        status: 400,
        body: { error: "invalid_grant", error_description: "SECRET-DETAIL" },
      },
    });
    const res = await finish(aliceCookie, {
      code: "c",
      state: await startFlow(aliceCookie),
      iss: "https://as.example.com", // required since the test above
    });
    expect(res.status).toBe(502);
    expect(res.body).toContain("(invalid_grant)");
    expect(res.body).not.toContain("SECRET-DETAIL");
  });
});

describe("disconnect", () => {
  it("needs a same-origin request with a cookie, 404s for unknown servers, and is idempotent", async () => {
    const forged = await call(disconnect, {
      method: "DELETE",
      cookie: aliceCookie,
      params: { id: serverId },
      headers: { "sec-fetch-site": "cross-site" },
    });
    expect(forged.status).toBe(403);
    const res = await call(disconnect, {
      method: "DELETE",
      token: alice.token,
      params: { id: serverId },
    });
    expect(res.status).toBe(204);
    expect(await tokensOf(alice.user.id)).toHaveLength(0);
    const again = await call(disconnect, {
      method: "DELETE",
      token: alice.token,
      params: { id: serverId },
    });
    expect(again.status).toBe(204);
    const unknown = await call(disconnect, {
      method: "DELETE",
      token: alice.token,
      params: { id: "00000000-0000-4000-8000-000000000000" },
    });
    expect(unknown.status).toBe(404);
  });
});
