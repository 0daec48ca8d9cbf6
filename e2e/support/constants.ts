// Shared by playwright.config.ts and the specs: the mode, ports, URLs and the accounts.
//
// Two modes, one suite. Locally (no E2E_BASE_URL) Playwright starts the app on APP_PORT with a
// fresh DATA_DIR and every fixture. Deployed (E2E_BASE_URL and E2E_ADMIN_TOKEN set, project
// "deployed") the suite runs against an existing deployment: it starts only the fixtures the
// deployment must reach (fake model, MCP test server) and creates everything else through the
// API, named with RUN_PREFIX so the teardown finds it again.
import { randomBytes } from "node:crypto";

/** The deployment under test, when there is one (no trailing slash). */
export const BASE_URL = (process.env.E2E_BASE_URL ?? "").replace(/\/+$/, "");
export const DEPLOYED = BASE_URL !== "";
/** An admin's API token on that deployment: used to create the run's own admin, and to clean up. */
export const ADMIN_TOKEN = process.env.E2E_ADMIN_TOKEN ?? "";

// Set on process.env by the first process that reads this file (Playwright's main process), so
// that every worker, which inherits the environment, agrees on the run's names and password.
process.env.E2E_RUN_ID ??= randomBytes(3).toString("hex");
process.env.E2E_RUN_PASSWORD ??= `pw-${randomBytes(12).toString("hex")}`;
export const RUN_ID = process.env.E2E_RUN_ID;
/** Every user, provider and MCP server this run creates has a name that starts with this. */
export const RUN_PREFIX = `e2e-${RUN_ID}-`;

export const APP_PORT = Number(process.env.E2E_APP_PORT ?? 3100);
export const IDP_PORT = Number(process.env.E2E_IDP_PORT ?? 4011);
export const APP_URL = DEPLOYED ? BASE_URL : `http://localhost:${APP_PORT}`;
export const IDP_URL = `http://127.0.0.1:${IDP_PORT}`;
export const OIDC_CLIENT_ID = "toolgate-e2e";
export const OIDC_CLIENT_SECRET = "toolgate-e2e-secret-value";

/**
 * The admin the specs sign in as. Locally the setup project creates it through /setup; on a
 * deployment the deployed-setup project creates it with ADMIN_TOKEN (and the teardown disables
 * it: the API has no user deletion).
 */
export const ADMIN = DEPLOYED
  ? {
      name: `E2E Admin ${RUN_ID}`,
      email: `${RUN_PREFIX}admin@example.com`,
      password: process.env.E2E_RUN_PASSWORD,
    }
  : { name: "Ada Admin", email: "admin@example.com", password: "admin-password-1" };
export const ADMIN_STATE = DEPLOYED
  ? `playwright/.auth/deployed-admin-${RUN_ID}.json`
  : "playwright/.auth/admin.json";

/**
 * Where the fixtures listen (E2E_FIXTURE_BIND, loopback by default) and the host a deployment
 * reaches them at (E2E_FIXTURE_HOST). A deployment on another machine needs e.g.
 * E2E_FIXTURE_BIND=0.0.0.0 E2E_FIXTURE_HOST=<this machine's address as it sees it>, and its
 * EGRESS_ALLOWLIST must name that host: the egress guard refuses private and loopback addresses.
 */
export const FIXTURE_BIND = process.env.E2E_FIXTURE_BIND ?? "127.0.0.1";
export const FIXTURE_HOST = process.env.E2E_FIXTURE_HOST ?? "127.0.0.1";
/** How this process (not the deployment) reaches the fixtures it started. */
const LOCAL_FIXTURE_HOST = ["0.0.0.0", "::"].includes(FIXTURE_BIND) ? "127.0.0.1" : FIXTURE_BIND;

/** Fake OpenAI-compatible model server (e2e/fixtures/fake-openai.ts). */
export const FAKE_MODEL_PORT = Number(process.env.E2E_FAKE_MODEL_PORT ?? 4012);
export const FAKE_MODEL_URL = `http://${FIXTURE_HOST}:${FAKE_MODEL_PORT}/v1`;
export const FAKE_MODEL_CONTROL = `http://${LOCAL_FIXTURE_HOST}:${FAKE_MODEL_PORT}/__control`;
export const FAKE_MODEL_HEALTH = `http://${LOCAL_FIXTURE_HOST}:${FAKE_MODEL_PORT}/v1/models`;
/** MCP test server (e2e/fixtures/mcp-test-server.ts): Streamable HTTP at /mcp, SSE at /sse. */
export const MCP_TEST_PORT = Number(process.env.E2E_MCP_PORT ?? 4013);
export const MCP_TEST_URL = `http://${FIXTURE_HOST}:${MCP_TEST_PORT}/mcp`;
export const MCP_TEST_HEALTH = `http://${LOCAL_FIXTURE_HOST}:${MCP_TEST_PORT}/healthz`;
/**
 * A second MCP test server whose tools need a bearer token of the IdP on IDP_PORT for exactly
 * its URL (RFC 9728 metadata points there): the OAuth2 connect flow's resource server.
 */
export const MCP_OAUTH_PORT = Number(process.env.E2E_MCP_OAUTH_PORT ?? 4014);
export const MCP_OAUTH_URL = `http://127.0.0.1:${MCP_OAUTH_PORT}/mcp`;

/** Why a flow that needs a part only a local run has is skipped on a deployment. */
export const LOCAL_ONLY = {
  setup: "first-run setup needs an empty deployment; the suite's own app starts with one",
  oidc: "needs the OIDC fixture as the app's sign-in provider, which only the local run configures",
  listen: "checks how the suite's own `npm start` listens; a deployment's network is its own",
} as const;
