// CIMD end to end through toolgate's own routes and flow: an authorization server that
// advertises client_id_metadata_document_supported gets toolgate's document URL as client_id
// (no registration), the member's authorization uses the shared callback, and the response
// is accepted there and only there. The authorization server is a stub (the provider the
// other OAuth tests use does not implement CIMD).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GET as metadataRoute } from "@/app/api/mcp/oauth2/client-metadata/route";
import { POST as create } from "@/app/api/mcp/servers/route";
import type { Caller } from "@/lib/auth/caller";
import { withTestDatabase } from "@/lib/testing/db";
import { seedUser } from "@/lib/testing/fixtures";
import { call } from "@/lib/testing/http";
import { startStubServer, type StubServer } from "@/lib/testing/stub-server";
import { completeOauth2Callback, startOauth2Connect } from "./oauth2-flow";

const t = withTestDatabase();
let stub: StubServer;
const previous = { allow: process.env.EGRESS_ALLOWLIST, appUrl: process.env.APP_URL };
const APP = "https://toolgate.test";
const DOC_URL = `${APP}/api/mcp/oauth2/client-metadata`;
const SHARED_CALLBACK = `${APP}/api/mcp/oauth2/callback`;

beforeAll(async () => {
  stub = await startStubServer();
  process.env.EGRESS_ALLOWLIST = "127.0.0.1";
});
beforeEach(() => {
  process.env.APP_URL = APP;
  const o = stub.origin;
  stub.setRoutes({
    "/.well-known/oauth-protected-resource/mcp": {
      body: { resource: `${o}/mcp`, authorization_servers: [o], scopes_supported: ["notes"] },
    },
    "/.well-known/oauth-authorization-server": {
      body: {
        issuer: o,
        authorization_endpoint: `${o}/authorize`,
        token_endpoint: `${o}/token`,
        registration_endpoint: `${o}/register`,
        code_challenge_methods_supported: ["S256"],
        client_id_metadata_document_supported: true,
      },
    },
    "POST /token": { body: { access_token: "at-1", token_type: "Bearer", expires_in: 600 } },
    "POST /register": { status: 500 },
  });
});
afterAll(async () => {
  await stub.close();
  for (const [name, value] of [
    ["EGRESS_ALLOWLIST", previous.allow],
    ["APP_URL", previous.appUrl],
  ] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describe("client ID metadata document", () => {
  it("is served at a stable URL under an https APP_URL, with the shared callback", async () => {
    const res = await call(metadataRoute);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      client_id: DOC_URL,
      redirect_uris: [SHARED_CALLBACK],
      token_endpoint_auth_method: "none",
      grant_types: ["authorization_code", "refresh_token"],
    });
    process.env.APP_URL = "http://toolgate.test";
    expect((await call(metadataRoute)).status).toBe(404);
  });

  it("is used as client_id instead of registering, and completes at the shared callback", async () => {
    const admin = await seedUser(t.db, { role: "admin" });
    const created = await call(create, {
      token: admin.token,
      body: { display_name: "Notes", url: `${stub.origin}/mcp`, auth_type: "oauth2" },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ oauth2_client_id: DOC_URL, has_oauth2_secret: false });
    expect(stub.paths()).not.toContain("POST /register");

    const caller: Caller = { ...admin.user, via: "session" };
    const serverId = created.body.id as string;
    const authorize = new URL(await startOauth2Connect(t.db, caller, serverId));
    expect(authorize.searchParams.get("client_id")).toBe(DOC_URL);
    expect(authorize.searchParams.get("redirect_uri")).toBe(SHARED_CALLBACK);
    const state = authorize.searchParams.get("state")!;

    // The per-server callback is not this client's redirect URI: refused, state spent.
    const elsewhere = await completeOauth2Callback(
      t.db,
      caller,
      serverId,
      new URLSearchParams({ state, code: "c1" }),
    );
    expect(elsewhere).toMatchObject({ ok: false, code: "oauth2.state_invalid" });

    const again = new URL(await startOauth2Connect(t.db, caller, serverId));
    const done = await completeOauth2Callback(
      t.db,
      caller,
      null,
      new URLSearchParams({ state: again.searchParams.get("state")!, code: "c2" }),
    );
    expect(done).toMatchObject({ ok: true, serverId });
    const exchanges = stub.requests.filter((r) => r.method === "POST" && r.path === "/token");
    expect(exchanges).toHaveLength(1);
    const form = new URLSearchParams(exchanges[0]!.body);
    expect(form.get("client_id")).toBe(DOC_URL);
    expect(form.get("redirect_uri")).toBe(SHARED_CALLBACK);
    expect(form.get("code")).toBe("c2");
  });

  it("is not used when APP_URL is plain http: dynamic registration instead", async () => {
    process.env.APP_URL = "http://toolgate.test";
    const o = stub.origin;
    stub.setRoutes({
      "/.well-known/oauth-protected-resource/mcp": {
        body: { resource: `${o}/mcp`, authorization_servers: [o] },
      },
      "/.well-known/oauth-authorization-server": {
        body: {
          issuer: o,
          authorization_endpoint: `${o}/authorize`,
          token_endpoint: `${o}/token`,
          registration_endpoint: `${o}/register`,
          code_challenge_methods_supported: ["S256"],
          client_id_metadata_document_supported: true,
        },
      },
      "POST /register": {
        status: 201,
        body: { client_id: "registered-1", client_secret: "s-1" },
      },
    });
    const admin = await seedUser(t.db, { role: "admin" });
    const created = await call(create, {
      token: admin.token,
      body: { display_name: "Notes 2", url: `${o}/mcp`, auth_type: "oauth2" },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.oauth2_client_id).toBe("registered-1");
  });
});
