import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findMcpServer } from "@/db/queries/mcp-servers";
import { auditEvents, oidcAccounts } from "@/db/schema";
import { startOidcProvider, type OidcProviderHandle } from "@/e2e/fixtures/oidc-provider";
import { linkOidcSignIn } from "@/lib/auth/oidc-link";
import { codeChallengeS256, createCodeVerifier } from "@/lib/oauth/pkce";
import {
  buildAuthorizationUrl,
  exchangeAuthorizationCode,
  type OAuthClient,
} from "@/lib/oauth/tokens";
import { withTestDatabase } from "@/lib/testing/db";
import { seedUser } from "@/lib/testing/fixtures";
import { call } from "@/lib/testing/http";
import { followToRedirectUri } from "@/lib/testing/oauth-browser";
import { POST as create } from "@/app/api/mcp/servers/route";
import { authConnectedFor, authHeadersFor } from "./credentials";
import { resetOidcMetadataCache } from "./oidc-token";

const t = withTestDatabase();
const REDIRECT = "http://toolgate.test/api/auth/callback/oidc";
const saved = { ...process.env };
let op: OidcProviderHandle;
let serverId: string;
let admin: Awaited<ReturnType<typeof seedUser>>;
let userId: string;

/** Signs alice in at the provider the way Auth.js would, and links the account. */
async function signInWithOidc(): Promise<void> {
  const verifier = createCodeVerifier();
  const url = buildAuthorizationUrl({
    authorizationEndpoint: `${op.issuer}/auth`,
    clientId: "toolgate",
    redirectUri: REDIRECT,
    state: "s",
    codeChallenge: codeChallengeS256(verifier),
    resource: null,
    scope: "openid email profile",
  });
  const back = await followToRedirectUri(url, REDIRECT);
  const client: OAuthClient = {
    clientId: "toolgate",
    clientSecret: "toolgate-secret",
    authMethod: "client_secret_basic",
    tokenEndpoint: `${op.issuer}/token`,
    resource: null,
  };
  const tokens = await exchangeAuthorizationCode(
    client,
    { code: back.searchParams.get("code")!, codeVerifier: verifier, redirectUri: REDIRECT },
    { fetch },
  );
  expect(tokens.refreshToken).not.toBeNull();
  const linked = await linkOidcSignIn(t.db, {
    issuer: op.issuer,
    subject: "alice",
    email: "alice@example.com",
    emailVerified: true,
    name: "Alice",
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken!,
    idToken: tokens.idToken ?? undefined,
    expiresAt: Math.floor(Date.now() / 1000) + (tokens.expiresIn ?? 3600),
  });
  if (!linked.ok) throw new Error(linked.reason);
  userId = linked.user.id;
}

const expire = () =>
  t.db
    .update(oidcAccounts)
    .set({ expiresAt: new Date(Date.now() - 1000) })
    .where(eq(oidcAccounts.userId, userId));

beforeAll(async () => {
  op = await startOidcProvider({
    autoLogin: "alice",
    clients: [
      { client_id: "toolgate", client_secret: "toolgate-secret", redirect_uris: [REDIRECT] },
    ],
  });
  process.env.OIDC_ISSUER = op.issuer;
  process.env.OIDC_CLIENT_ID = "toolgate";
  process.env.OIDC_CLIENT_SECRET = "toolgate-secret";
  // Deliberately no EGRESS_ALLOWLIST: the operator's identity provider is reachable anyway.
  delete process.env.EGRESS_ALLOWLIST;
  resetOidcMetadataCache();
  admin = await seedUser(t.db, { role: "admin" });
  const res = await call(create, {
    token: admin.token,
    body: { display_name: "Identity", url: "https://id.example.com/mcp", auth_type: "user_oidc" },
  });
  serverId = res.body.id;
  await signInWithOidc();
});
afterAll(async () => {
  await op?.close();
  for (const key of ["OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "EGRESS_ALLOWLIST"]) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
});

const server = async () => (await findMcpServer(t.db, serverId))!;

describe("user_oidc token forwarding", () => {
  it("forwards the sign-in's access token", async () => {
    const auth = await authHeadersFor(t.db, await server(), userId);
    expect(auth.ok).toBe(true);
    const token = (auth as { headers: Record<string, string> }).headers.Authorization!;
    await expect(op.verifyAccessToken(token.replace("Bearer ", ""))).resolves.toMatchObject({
      subject: "alice",
    });
  });

  it("refreshes it through the identity provider once when near expiry", async () => {
    const before = await authHeadersFor(t.db, await server(), userId);
    await expire();
    op.resetCounters();
    const [a, b, c] = await Promise.all(
      [1, 2, 3].map(async () => authHeadersFor(t.db, await server(), userId)),
    );
    expect(op.counters.refreshTokenGrants).toBe(1);
    expect(a).toEqual(b);
    expect(b).toEqual(c);
    expect(a).not.toEqual(before);
    const [account] = await t.db.select().from(oidcAccounts).where(eq(oidcAccounts.userId, userId));
    expect(account!.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 60_000);
    expect((await authConnectedFor(t.db, userId, [await server()])).get(serverId)).toBe(true);
  });

  it("a dead refresh token asks the user to sign in again, audited", async () => {
    await t.db
      .update(oidcAccounts)
      .set({ refreshTokenEnc: null, expiresAt: new Date(Date.now() - 1000) })
      .where(eq(oidcAccounts.userId, userId));
    expect((await authConnectedFor(t.db, userId, [await server()])).get(serverId)).toBe(false);
    await signInWithOidc();
    // Revoke the grant at the provider: the stored refresh token is now dead.
    const [account] = await t.db.select().from(oidcAccounts).where(eq(oidcAccounts.userId, userId));
    const grants = op.issuedAccessTokens.map((tok) => tok.grantId).filter(Boolean) as string[];
    for (const grantId of new Set(grants)) await (await op.provider.Grant.find(grantId))?.destroy();
    await expire();
    const auth = await authHeadersFor(t.db, await server(), userId);
    expect(auth).toMatchObject({ ok: false, code: "mcp.auth_required" });
    expect((auth as { message: string }).message).toContain("Sign in with OIDC");
    const [after] = await t.db.select().from(oidcAccounts).where(eq(oidcAccounts.id, account!.id));
    expect(after!.refreshTokenEnc).toBeNull();
    const audit = await t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, "oidc.refresh"));
    expect(audit.at(-1)).toMatchObject({ outcome: "failure", detail: { reason: "invalid_grant" } });
  });

  it("a user who never signed in with OIDC gets a clear notice", async () => {
    const auth = await authHeadersFor(t.db, await server(), admin.user.id);
    expect(auth).toMatchObject({ ok: false, message: "Sign in with OIDC to use Identity." });
  });
});
