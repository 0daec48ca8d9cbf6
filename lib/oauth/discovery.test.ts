import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { findEgressError } from "@/lib/net/egress";
import { startStubServer, type StubReply, type StubServer } from "@/lib/testing/stub-server";
import { discoverAuthorization, OAuthDiscoveryError } from "./discovery";
import { registerClient } from "./registration";

let stub: StubServer;
const previousAllowlist = process.env.EGRESS_ALLOWLIST;

beforeAll(async () => {
  stub = await startStubServer();
  process.env.EGRESS_ALLOWLIST = "127.0.0.1";
});
afterAll(async () => {
  await stub.close();
  if (previousAllowlist === undefined) delete process.env.EGRESS_ALLOWLIST;
  else process.env.EGRESS_ALLOWLIST = previousAllowlist;
});
beforeEach(() => stub.setRoutes({}));

const PRM_PATH = "/.well-known/oauth-protected-resource/mcp";
const PRM_ROOT = "/.well-known/oauth-protected-resource";
const AS_ROOT = "/.well-known/oauth-authorization-server";

function asDoc(issuer: string, extra: Record<string, unknown> = {}) {
  const base = new URL(issuer).origin;
  return {
    issuer,
    authorization_endpoint: `${base}/authorize`,
    token_endpoint: `${base}/token`,
    registration_endpoint: `${base}/register`,
    revocation_endpoint: `${base}/revoke`,
    code_challenge_methods_supported: ["S256"],
    ...extra,
  };
}

const mcpUrl = () => `${stub.origin}/mcp`;
const discover = (url = mcpUrl(), transport: "streamable_http" | "sse" = "streamable_http") =>
  discoverAuthorization(url, transport);

async function failure(promise: Promise<unknown>): Promise<OAuthDiscoveryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OAuthDiscoveryError);
  return error as OAuthDiscoveryError;
}

describe("OAuth discovery", () => {
  it("uses the path-aware protected resource metadata first", async () => {
    const o = stub.origin;
    stub.setRoutes({
      [PRM_PATH]: {
        body: { resource: `${o}/mcp`, authorization_servers: [o], scopes_supported: ["a", "b"] },
      },
      [PRM_ROOT]: { body: { resource: `${o}/mcp`, authorization_servers: [`${o}/elsewhere`] } },
      [AS_ROOT]: { body: asDoc(o, { authorization_response_iss_parameter_supported: true }) },
    });
    const found = await discover();
    expect(found).toMatchObject({
      resource: `${o}/mcp`,
      resourceMetadataUrl: `${o}${PRM_PATH}`,
      scopes: ["a", "b"],
      metadataUrl: `${o}${AS_ROOT}`,
      metadata: {
        issuer: o,
        token_endpoint: `${o}/token`,
        authorization_response_iss_parameter_supported: true,
      },
    });
    // The 401 challenge is still asked for its scope, which would win over scopes_supported.
    expect(stub.paths()).toEqual([`GET ${PRM_PATH}`, "POST /mcp", `GET ${AS_ROOT}`]);
  });

  it("prefers the 401 challenge's scope to scopes_supported of path-aware metadata", async () => {
    const o = stub.origin;
    stub.setRoutes({
      [PRM_PATH]: {
        body: { resource: `${o}/mcp`, authorization_servers: [o], scopes_supported: ["a", "b"] },
      },
      "POST /mcp": {
        status: 401,
        headers: { "www-authenticate": `Bearer scope="mcp:basic", resource_metadata="${o}/x"` },
      },
      [AS_ROOT]: { body: asDoc(o) },
    });
    const found = await discover();
    expect(found.scopes).toEqual(["mcp:basic"]);
    expect(found.resourceMetadataUrl).toBe(`${o}${PRM_PATH}`);
  });

  it("asks for tools/list when the server lets an unauthenticated initialize through", async () => {
    const o = stub.origin;
    stub.setRoutes({
      [PRM_PATH]: {
        body: { resource: `${o}/mcp`, authorization_servers: [o], scopes_supported: ["profile"] },
      },
      // The handshake is open; what follows it is guarded, with the scope it needs.
      "POST /mcp": (req): StubReply =>
        (JSON.parse(req.body) as { method: string }).method === "initialize"
          ? {
              status: 200,
              body: { jsonrpc: "2.0", id: 0, result: {} },
              headers: { "mcp-session-id": "s-1" },
            }
          : req.headers["mcp-session-id"] === "s-1"
            ? { status: 401, headers: { "www-authenticate": `Bearer scope="mcp:basic"` } }
            : { status: 400 },
      "DELETE /mcp": { status: 204 },
      [AS_ROOT]: { body: asDoc(o) },
    });
    const found = await discover();
    expect(found.scopes).toEqual(["mcp:basic"]);
    expect(found.authorizationServers).toEqual([o]);
    // The session the probe opened is ended again.
    expect(stub.paths()).toEqual([
      `GET ${PRM_PATH}`,
      "POST /mcp",
      "POST /mcp",
      "DELETE /mcp",
      `GET ${AS_ROOT}`,
    ]);
    const [, list, end] = stub.requests.filter((r) => r.path === "/mcp");
    expect(JSON.parse(list!.body)).toMatchObject({ method: "tools/list" });
    expect(end!.headers["mcp-session-id"]).toBe("s-1");
  });

  it("asks for tools/list when a server takes no 2025 handshake (HTTP 400)", async () => {
    const o = stub.origin;
    stub.setRoutes({
      [PRM_PATH]: { body: { resource: `${o}/mcp`, authorization_servers: [o] } },
      "POST /mcp": (req) =>
        (JSON.parse(req.body) as { method: string }).method === "initialize"
          ? { status: 400, body: { jsonrpc: "2.0", id: 0, error: { code: -32020, message: "x" } } }
          : { status: 401, headers: { "www-authenticate": `Bearer scope="files:read"` } },
      [AS_ROOT]: { body: asDoc(o) },
    });
    const found = await discover();
    expect(found.scopes).toEqual(["files:read"]);
    expect(stub.paths()).toEqual([`GET ${PRM_PATH}`, "POST /mcp", "POST /mcp", `GET ${AS_ROOT}`]);
  });

  it("falls back to the root protected resource metadata", async () => {
    const o = stub.origin;
    stub.setRoutes({
      [PRM_ROOT]: { body: { resource: o, authorization_servers: [o] } },
      [AS_ROOT]: { body: asDoc(o) },
    });
    const found = await discover();
    // The root document covers every path of the origin; its resource is what tokens are for.
    expect(found.resource).toBe(o);
    expect(stub.paths()).toEqual([
      `GET ${PRM_PATH}`,
      `GET ${PRM_ROOT}`,
      "POST /mcp",
      `GET ${AS_ROOT}`,
    ]);
  });

  it("follows the WWW-Authenticate resource_metadata hint and its scope", async () => {
    const o = stub.origin;
    stub.setRoutes({
      "POST /mcp": {
        status: 401,
        headers: {
          "www-authenticate": `Bearer realm="x", error="invalid_token", resource_metadata="${o}/meta/prm", scope="files:read  files:write"`,
        },
      },
      "/meta/prm": {
        body: { resource: `${o}/mcp`, authorization_servers: [o], scopes_supported: ["ignored"] },
      },
      [AS_ROOT]: { body: asDoc(o) },
    });
    const found = await discover();
    expect(found.resourceMetadataUrl).toBe(`${o}/meta/prm`);
    expect(found.scopes).toEqual(["files:read", "files:write"]);
    expect(stub.paths()).toEqual([
      `GET ${PRM_PATH}`,
      `GET ${PRM_ROOT}`,
      "POST /mcp",
      "GET /meta/prm",
      `GET ${AS_ROOT}`,
    ]);
  });

  it("falls back to OpenID configuration for an issuer with a path, never asking the root", async () => {
    const o = stub.origin;
    const issuer = `${o}/tenant`;
    stub.setRoutes({
      [PRM_PATH]: { body: { resource: `${o}/mcp`, authorization_servers: [issuer] } },
      // The root RFC 8414 document belongs to another issuer: it is not even requested.
      [AS_ROOT]: { body: asDoc(o) },
      "/tenant/.well-known/openid-configuration": { body: asDoc(issuer) },
    });
    const found = await discover();
    expect(found.metadata.issuer).toBe(issuer);
    expect(found.metadataUrl).toBe(`${issuer}/.well-known/openid-configuration`);
    expect(stub.paths().slice(2)).toEqual([
      `GET ${AS_ROOT}/tenant`,
      "GET /.well-known/openid-configuration/tenant",
      "GET /tenant/.well-known/openid-configuration",
    ]);
  });

  it("uses OpenID configuration at the root when RFC 8414 metadata is absent", async () => {
    const o = stub.origin;
    stub.setRoutes({
      [PRM_PATH]: { body: { resource: `${o}/mcp`, authorization_servers: [o] } },
      "/.well-known/openid-configuration": { body: asDoc(o) },
    });
    expect((await discover()).metadataUrl).toBe(`${o}/.well-known/openid-configuration`);
  });

  it("treats an empty authorization_servers as the MCP origin", async () => {
    const o = stub.origin;
    stub.setRoutes({
      [PRM_PATH]: { body: { resource: `${o}/mcp`, authorization_servers: [] } },
      [AS_ROOT]: { body: asDoc(o) },
    });
    expect((await discover()).metadata.issuer).toBe(o);
  });

  it("falls back to the MCP origin when no resource metadata exists at all", async () => {
    const o = stub.origin;
    stub.setRoutes({ "POST /mcp": { status: 401 }, [AS_ROOT]: { body: asDoc(o) } });
    const found = await discover();
    expect(found).toMatchObject({ resource: `${o}/mcp`, resourceMetadataUrl: null, scopes: [] });
  });

  it("uses the 2025-03-26 default endpoints when no metadata exists at all", async () => {
    const o = stub.origin;
    stub.setRoutes({ "POST /mcp": { status: 401 } });
    const found = await discover();
    expect(found.metadata).toEqual({
      issuer: o,
      authorization_endpoint: `${o}/authorize`,
      token_endpoint: `${o}/token`,
      registration_endpoint: `${o}/register`,
    });
    expect(found.resourceMetadataUrl).toBeNull();
  });

  it("names both halves when a server without any metadata asks for no authorization", async () => {
    stub.setRoutes({ "POST /mcp": { status: 200, body: {} } });
    const error = await failure(discover());
    expect(error.step).toBe("protected_resource_metadata");
    expect(error.message).toContain("publishes no protected resource metadata");
    expect(error.message).toContain(`${stub.origin}${PRM_PATH} (HTTP 404)`);
    expect(error.message).toContain("HTTP 200, no authorization challenge");
    expect(error.message).toContain("Authorization server metadata (RFC 8414)");
    expect(stub.paths()).not.toContain("GET /authorize");
  });

  it("accepts a 2025-03-26 server's own metadata naming an issuer on its origin", async () => {
    const o = stub.origin;
    stub.setRoutes({ "POST /mcp": { status: 401 }, [AS_ROOT]: { body: asDoc(`${o}/oauth`) } });
    const found = await discover();
    expect(found.metadata.issuer).toBe(`${o}/oauth`);
    expect(found.metadataUrl).toBe(`${o}${AS_ROOT}`);
  });

  it("refuses a 2025-03-26 server's metadata naming an issuer on another origin", async () => {
    stub.setRoutes({
      "POST /mcp": { status: 401 },
      [AS_ROOT]: { body: asDoc("https://as.example.com") },
    });
    const error = await failure(discover());
    expect(error.step).toBe("protected_resource_metadata");
    expect(error.message).toContain("publishes no protected resource metadata");
    expect(error.message).toContain("HTTP 401 without a resource_metadata hint");
    expect(error.message).toContain("names the issuer https://as.example.com");
  });

  it("refuses metadata without a token endpoint, naming the field and URL", async () => {
    const o = stub.origin;
    const { token_endpoint: _t, ...noToken } = asDoc(o);
    stub.setRoutes({
      [PRM_PATH]: { body: { resource: `${o}/mcp`, authorization_servers: [o] } },
      [AS_ROOT]: { body: noToken },
    });
    const error = await failure(discover());
    expect(error.step).toBe("authorization_server_metadata");
    expect(error.url).toBe(`${o}${AS_ROOT}`);
    expect(error.message).toContain("`token_endpoint`");
  });

  it("reports malformed JSON at the URL that served it", async () => {
    stub.setRoutes({ [PRM_PATH]: { body: "{not json" }, "POST /mcp": { status: 401 } });
    const error = await failure(discover());
    expect(error.step).toBe("protected_resource_metadata");
    expect(error.url).toBe(`${stub.origin}${PRM_PATH}`);
    expect(error.message).toContain("not a JSON object");
  });

  it("refuses a metadata document naming another issuer (RFC 8414 §3.3)", async () => {
    const o = stub.origin;
    stub.setRoutes({
      [PRM_PATH]: { body: { resource: `${o}/mcp`, authorization_servers: [o] } },
      [AS_ROOT]: { body: asDoc("https://evil.example.com") },
    });
    const error = await failure(discover());
    expect(error.message).toContain(
      `names the issuer https://evil.example.com, but it was fetched for the issuer ${o}`,
    );
    expect(error.message).toContain("RFC 8414 §3.3");
  });

  it("refuses resource metadata for another resource (RFC 9728 §3.3)", async () => {
    const o = stub.origin;
    stub.setRoutes({
      [PRM_PATH]: {
        body: { resource: "https://other.example.com/mcp", authorization_servers: [o] },
      },
      "POST /mcp": { status: 401 },
    });
    const error = await failure(discover());
    expect(error.message).toContain("describes the resource https://other.example.com/mcp");
  });

  it("refuses a server that does not advertise PKCE S256", async () => {
    const o = stub.origin;
    stub.setRoutes({
      [PRM_PATH]: { body: { resource: `${o}/mcp`, authorization_servers: [o] } },
      [AS_ROOT]: { body: asDoc(o, { code_challenge_methods_supported: ["plain"] }) },
    });
    expect((await failure(discover())).message).toContain("PKCE S256");
  });

  it("keeps a trailing slash in the path-aware URL", async () => {
    const o = stub.origin;
    stub.setRoutes({
      [`${PRM_PATH}/`]: { body: { resource: `${o}/mcp/`, authorization_servers: [o] } },
      [AS_ROOT]: { body: asDoc(o) },
    });
    const found = await discover(`${o}/mcp/`);
    expect(found.resource).toBe(`${o}/mcp/`);
    expect(stub.paths()[0]).toBe(`GET ${PRM_PATH}/`);
  });

  it("compares issuers as plain strings: `issuer/` is not `issuer` (RFC 8414 §3.3)", async () => {
    const o = stub.origin;
    stub.setRoutes({
      [PRM_PATH]: { body: { resource: `${o}/mcp`, authorization_servers: [`${o}/`] } },
      [AS_ROOT]: { body: asDoc(o) },
    });
    const error = await failure(discover());
    expect(error.message).toContain(
      `names the issuer ${o}, but it was fetched for the issuer ${o}/`,
    );
  });

  it("goes through the egress guard", async () => {
    delete process.env.EGRESS_ALLOWLIST;
    try {
      const error = await failure(discover());
      expect(findEgressError(error)?.code).toBe("egress.destination_not_allowed");
      expect(stub.requests).toHaveLength(0);
    } finally {
      process.env.EGRESS_ALLOWLIST = "127.0.0.1";
    }
  });
});

describe("dynamic client registration", () => {
  const redirectUri = "http://toolgate.test/api/mcp/servers/1/oauth2/callback";

  it("registers a confidential client with the real redirect URI", async () => {
    const o = stub.origin;
    stub.setRoutes({
      "POST /register": (req) => {
        const body = JSON.parse(req.body) as Record<string, unknown>;
        return {
          status: 201,
          body: { ...body, client_id: "c-1", client_secret: "s-1" },
        };
      },
    });
    const client = await registerClient(asDoc(o), { redirectUri });
    expect(client).toMatchObject({
      clientId: "c-1",
      clientSecret: "s-1",
      authMethod: "client_secret_basic",
    });
    expect(JSON.parse(stub.requests[0]!.body)).toEqual({
      client_name: "toolgate",
      redirect_uris: [redirectUri],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
      application_type: "web",
    });
  });

  it("registers a public client when the server only supports none", async () => {
    stub.setRoutes({
      "POST /register": {
        status: 201,
        body: { client_id: "pub", token_endpoint_auth_method: "none" },
      },
    });
    const md = asDoc(stub.origin, {
      token_endpoint_auth_methods_supported: ["none", "private_key_jwt"],
    });
    const client = await registerClient(md, { redirectUri });
    expect(client).toMatchObject({ clientId: "pub", clientSecret: null, authMethod: "none" });
    expect(JSON.parse(stub.requests[0]!.body).token_endpoint_auth_method).toBe("none");
  });

  it("refuses a registration response without client_id", async () => {
    stub.setRoutes({ "POST /register": { status: 201, body: { client_secret: "s" } } });
    const error = await failure(registerClient(asDoc(stub.origin), { redirectUri }));
    expect(error.step).toBe("registration");
    expect(error.message).toContain("no `client_id`");
  });

  it("reports a refused registration with its error code only", async () => {
    stub.setRoutes({
      "POST /register": {
        status: 400,
        body: {
          error: "invalid_redirect_uri",
          error_description: "<script>upstream text</script>",
        },
      },
    });
    const error = await failure(registerClient(asDoc(stub.origin), { redirectUri }));
    expect(error.message).toContain("HTTP 400, invalid_redirect_uri");
    expect(error.message).not.toContain("upstream text");
  });

  it("needs a registration endpoint", async () => {
    const { registration_endpoint: _r, ...md } = asDoc(stub.origin);
    const error = await failure(registerClient(md, { redirectUri }));
    expect(error.message).toContain("no dynamic client registration");
  });
});
