// Shared by playwright.config.ts and the specs: ports, URLs and the seeded accounts.
export const APP_PORT = Number(process.env.E2E_APP_PORT ?? 3100);
export const IDP_PORT = Number(process.env.E2E_IDP_PORT ?? 4011);
export const APP_URL = `http://localhost:${APP_PORT}`;
export const IDP_URL = `http://127.0.0.1:${IDP_PORT}`;
export const OIDC_CLIENT_ID = "toolgate-e2e";
export const OIDC_CLIENT_SECRET = "toolgate-e2e-secret-value";

export const ADMIN = {
  name: "Ada Admin",
  email: "admin@example.com",
  password: "admin-password-1",
};
export const ADMIN_STATE = "playwright/.auth/admin.json";

/** Fake OpenAI-compatible model server (e2e/fixtures/fake-openai.ts). */
export const FAKE_MODEL_PORT = Number(process.env.E2E_FAKE_MODEL_PORT ?? 4012);
export const FAKE_MODEL_URL = `http://127.0.0.1:${FAKE_MODEL_PORT}/v1`;
export const FAKE_MODEL_CONTROL = `http://127.0.0.1:${FAKE_MODEL_PORT}/__control`;
/** MCP test server (e2e/fixtures/mcp-test-server.ts): Streamable HTTP at /mcp, SSE at /sse. */
export const MCP_TEST_PORT = Number(process.env.E2E_MCP_PORT ?? 4013);
export const MCP_TEST_URL = `http://127.0.0.1:${MCP_TEST_PORT}/mcp`;
/**
 * A second MCP test server whose tools need a bearer token of the IdP on IDP_PORT for exactly
 * its URL (RFC 9728 metadata points there): the OAuth2 connect flow's resource server.
 */
export const MCP_OAUTH_PORT = Number(process.env.E2E_MCP_OAUTH_PORT ?? 4014);
export const MCP_OAUTH_URL = `http://127.0.0.1:${MCP_OAUTH_PORT}/mcp`;
