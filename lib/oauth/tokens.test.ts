import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startStubServer, type StubServer } from "@/lib/testing/stub-server";
import {
  authorizationServerMetadataUrls,
  canonicalResource,
  protectedResourceMetadataUrls,
} from "./metadata";
import { codeChallengeS256 } from "./pkce";
import {
  buildAuthorizationUrl,
  checkAuthorizationResponseIssuer,
  exchangeAuthorizationCode,
  refreshAccessToken,
  revokeToken,
  TokenEndpointError,
  type OAuthClient,
} from "./tokens";
import { bearerChallenge, parseWwwAuthenticate } from "./www-authenticate";

describe("PKCE and authorization requests", () => {
  it("computes S256 like RFC 7636 Appendix B", () => {
    expect(codeChallengeS256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")).toBe(
      "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
    );
  });

  it("builds the authorization URL with state, S256, resource and scope, keeping its query", () => {
    const url = new URL(
      buildAuthorizationUrl({
        authorizationEndpoint: "https://as.example.com/authorize?tenant=t1",
        clientId: "c 1",
        redirectUri: "https://app.example.com/cb",
        state: "st",
        codeChallenge: "ch",
        resource: "https://mcp.example.com/mcp",
        scope: " read write ",
      }),
    );
    expect(Object.fromEntries(url.searchParams)).toEqual({
      tenant: "t1",
      response_type: "code",
      client_id: "c 1",
      redirect_uri: "https://app.example.com/cb",
      state: "st",
      code_challenge: "ch",
      code_challenge_method: "S256",
      resource: "https://mcp.example.com/mcp",
      scope: "read write",
    });
  });

  it("checks the RFC 9207 iss parameter", () => {
    const expected = { issuer: "https://as.example.com", required: false };
    expect(checkAuthorizationResponseIssuer(null, expected)).toEqual({ ok: true });
    expect(checkAuthorizationResponseIssuer("https://as.example.com", expected)).toEqual({
      ok: true,
    });
    // RFC 9207 §2.4: simple string comparison, no URL normalisation.
    for (const variant of [
      "https://as.example.com/",
      "HTTPS://as.example.com",
      "https://AS.example.com",
      "https://as.example.com:443",
    ]) {
      expect(checkAuthorizationResponseIssuer(variant, expected)).toEqual({
        ok: false,
        reason: "iss_mismatch",
      });
    }
    expect(checkAuthorizationResponseIssuer("https://evil.example.com", expected)).toEqual({
      ok: false,
      reason: "iss_mismatch",
    });
    expect(checkAuthorizationResponseIssuer(null, { ...expected, required: true })).toEqual({
      ok: false,
      reason: "iss_missing",
    });
  });
});

describe("metadata URLs", () => {
  it("builds RFC 9728 and RFC 8414 well-known URLs", () => {
    expect(protectedResourceMetadataUrls(new URL("https://x.example.com/mcp/"))).toEqual([
      "https://x.example.com/.well-known/oauth-protected-resource/mcp/",
      "https://x.example.com/.well-known/oauth-protected-resource",
    ]);
    expect(protectedResourceMetadataUrls(new URL("https://x.example.com/"))).toEqual([
      "https://x.example.com/.well-known/oauth-protected-resource",
    ]);
    expect(authorizationServerMetadataUrls(new URL("https://as.example.com"))).toEqual([
      "https://as.example.com/.well-known/oauth-authorization-server",
      "https://as.example.com/.well-known/openid-configuration",
    ]);
    expect(authorizationServerMetadataUrls(new URL("https://as.example.com/tenant1"))).toEqual([
      "https://as.example.com/.well-known/oauth-authorization-server/tenant1",
      "https://as.example.com/.well-known/openid-configuration/tenant1",
      "https://as.example.com/tenant1/.well-known/openid-configuration",
    ]);
  });

  it("canonicalises the MCP server URL as a resource indicator", () => {
    expect(canonicalResource("HTTPS://MCP.Example.com:443/mcp#frag")).toBe(
      "https://mcp.example.com/mcp",
    );
    expect(canonicalResource("https://mcp.example.com/")).toBe("https://mcp.example.com");
    expect(canonicalResource("https://mcp.example.com/mcp/")).toBe("https://mcp.example.com/mcp/");
  });
});

describe("WWW-Authenticate", () => {
  it("parses several challenges with quoted and token values", () => {
    const header =
      'Basic realm="a, b", Bearer error=invalid_token, resource_metadata="https://x/.well-known/oauth-protected-resource", scope="a \\"b\\""';
    expect(parseWwwAuthenticate(header)).toEqual([
      { scheme: "basic", params: { realm: "a, b" } },
      {
        scheme: "bearer",
        params: {
          error: "invalid_token",
          resource_metadata: "https://x/.well-known/oauth-protected-resource",
          scope: 'a "b"',
        },
      },
    ]);
    expect(bearerChallenge("Negotiate abc==, Bearer realm=x")).toEqual({ realm: "x" });
    expect(bearerChallenge(null)).toBeUndefined();
  });
});

describe("token endpoint", () => {
  let stub: StubServer;
  const previous = process.env.EGRESS_ALLOWLIST;
  beforeAll(async () => {
    stub = await startStubServer();
    process.env.EGRESS_ALLOWLIST = "127.0.0.1";
  });
  afterAll(async () => {
    await stub.close();
    if (previous === undefined) delete process.env.EGRESS_ALLOWLIST;
    else process.env.EGRESS_ALLOWLIST = previous;
  });
  beforeEach(() => stub.setRoutes({}));

  const client = (over: Partial<OAuthClient> = {}): OAuthClient => ({
    clientId: "id:1",
    clientSecret: "s e/cret",
    authMethod: "client_secret_basic",
    tokenEndpoint: `${stub.origin}/token`,
    resource: "https://mcp.example.com/mcp",
    ...over,
  });

  it("exchanges a code with Basic auth (form-encoded), the verifier and the resource", async () => {
    stub.setRoutes({
      "POST /token": {
        body: { access_token: "at", token_type: "bearer", expires_in: "60", refresh_token: "rt" },
      },
    });
    const tokens = await exchangeAuthorizationCode(client(), {
      code: "c",
      codeVerifier: "v",
      redirectUri: "https://app.example.com/cb",
    });
    expect(tokens).toEqual({
      accessToken: "at",
      refreshToken: "rt",
      expiresIn: 60,
      scope: null,
      idToken: null,
    });
    const req = stub.requests[0]!;
    expect(req.headers.authorization).toBe(
      `Basic ${Buffer.from("id%3A1:s+e%2Fcret").toString("base64")}`,
    );
    expect(Object.fromEntries(new URLSearchParams(req.body))).toEqual({
      grant_type: "authorization_code",
      code: "c",
      redirect_uri: "https://app.example.com/cb",
      code_verifier: "v",
      resource: "https://mcp.example.com/mcp",
    });
  });

  it("sends client_id in the body for a public client", async () => {
    stub.setRoutes({ "POST /token": { body: { access_token: "at", token_type: "Bearer" } } });
    await refreshAccessToken(client({ authMethod: "none", clientSecret: null }), "rt");
    const req = stub.requests[0]!;
    expect(req.headers.authorization).toBeUndefined();
    expect(Object.fromEntries(new URLSearchParams(req.body))).toMatchObject({
      grant_type: "refresh_token",
      refresh_token: "rt",
      client_id: "id:1",
    });
  });

  it("classifies invalid_grant as permanent, others as transient", async () => {
    const attempt = async (status: number, body: unknown) => {
      stub.setRoutes({ "POST /token": { status, body } });
      return refreshAccessToken(client(), "rt").then(
        () => undefined,
        (e: unknown) => e as TokenEndpointError,
      );
    };
    const dead = await attempt(400, { error: "invalid_grant", error_description: "gone" });
    expect(dead).toBeInstanceOf(TokenEndpointError);
    expect(dead).toMatchObject({ permanent: true, oauthCode: "invalid_grant", status: 400 });
    expect((await attempt(503, "busy"))?.permanent).toBe(false);
    expect((await attempt(200, { access_token: "x", token_type: "DPoP" }))?.message).toContain(
      "not Bearer",
    );
    expect((await attempt(200, "{oops"))?.message).toContain("no access_token");
  });

  it("revokes without following redirects and never throws", async () => {
    stub.setRoutes({ "POST /revoke": { status: 200 } });
    expect(await revokeToken(client(), `${stub.origin}/revoke`, "rt", "refresh_token")).toBe(true);
    expect(Object.fromEntries(new URLSearchParams(stub.requests[0]!.body))).toEqual({
      token: "rt",
      token_type_hint: "refresh_token",
    });
    stub.setRoutes({
      "POST /revoke": { status: 307, headers: { location: "https://elsewhere.example.com/" } },
    });
    expect(await revokeToken(client(), `${stub.origin}/revoke`, "rt", "refresh_token")).toBe(false);
  });
});
