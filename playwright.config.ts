import os from "node:os";
import path from "node:path";
import { defineConfig, devices, type PlaywrightTestConfig } from "@playwright/test";
import {
  APP_PORT,
  APP_URL,
  DEPLOYED,
  ADMIN_TOKEN,
  FAKE_MODEL_HEALTH,
  FAKE_MODEL_PORT,
  FIXTURE_BIND,
  MCP_TEST_HEALTH,
  MCP_TEST_PORT,
  MCP_OAUTH_PORT,
  IDP_PORT,
  IDP_URL,
  OIDC_CLIENT_ID,
  OIDC_CLIENT_SECRET,
} from "./e2e/support/constants";

// Two modes (see e2e/support/constants.ts). Asking for the deployed project without a
// deployment is a mistake worth one clear sentence rather than "project not found".
const argv = process.argv;
const wantsDeployed = argv.some(
  (a, i) => a === "--project=deployed" || (a === "--project" && argv[i + 1] === "deployed"),
);
if (wantsDeployed && (!DEPLOYED || ADMIN_TOKEN === "")) {
  throw new Error(
    "The deployed project runs against an existing deployment: set E2E_BASE_URL to its URL and " +
      "E2E_ADMIN_TOKEN to an admin's API token (README, Testing).",
  );
}

// A fresh embedded database per local run. Set on process.env so worker processes (which
// inherit it) agree with the main process that starts the servers.
process.env.E2E_DATA_DIR ??= path.join(os.tmpdir(), `toolgate-e2e-${Date.now()}`);

const mode = DEPLOYED ? "deployed" : "local";
const chrome = { ...devices["Desktop Chrome"] };

const fixtureServers: PlaywrightTestConfig["webServer"] = [
  {
    command: `npx tsx e2e/fixtures/fake-openai.ts --port ${FAKE_MODEL_PORT} --host ${FIXTURE_BIND}`,
    url: FAKE_MODEL_HEALTH,
    reuseExistingServer: false,
    stdout: "pipe",
    // Room for the accessibility checks (axe, twice per check) on a busy 2-core machine.
    timeout: 90_000,
  },
  {
    command: `npx tsx e2e/fixtures/mcp-test-server.ts --port ${MCP_TEST_PORT} --host ${FIXTURE_BIND} --tool-results`,
    url: MCP_TEST_HEALTH,
    reuseExistingServer: false,
    stdout: "pipe",
    // Room for the accessibility checks (axe, twice per check) on a busy 2-core machine.
    timeout: 90_000,
  },
];

const localServers: PlaywrightTestConfig["webServer"] = [
  {
    // Protected by the IdP below: tokens are checked against its JWKS, fetched on first use.
    command: `npx tsx e2e/fixtures/mcp-test-server.ts --port ${MCP_OAUTH_PORT} --transports streamable_http --oauth-issuer ${IDP_URL}`,
    url: `http://127.0.0.1:${MCP_OAUTH_PORT}/healthz`,
    reuseExistingServer: false,
    stdout: "pipe",
    // Room for the accessibility checks (axe, twice per check) on a busy 2-core machine.
    timeout: 90_000,
  },
  {
    command: `npx tsx e2e/fixtures/oidc-provider.ts --port ${IDP_PORT} --client-id ${OIDC_CLIENT_ID} --client-secret ${OIDC_CLIENT_SECRET} --redirect-uri ${APP_URL}/api/auth/callback/oidc`,
    url: `${IDP_URL}/.well-known/openid-configuration`,
    reuseExistingServer: false,
    stdout: "pipe",
    // Room for the accessibility checks (axe, twice per check) on a busy 2-core machine.
    timeout: 90_000,
  },
  {
    // `npm start`'s own script, so the e2e run exercises how operators start it.
    command: "node scripts/start.mjs",
    url: `${APP_URL}/api/health`,
    reuseExistingServer: false,
    stdout: "pipe",
    timeout: 120_000,
    env: {
      DATA_DIR: process.env.E2E_DATA_DIR,
      APP_URL,
      PORT: String(APP_PORT),
      HOSTNAME: "127.0.0.1",
      DATABASE_URL: "",
      OIDC_ISSUER: IDP_URL,
      OIDC_CLIENT_ID,
      OIDC_CLIENT_SECRET,
      OIDC_NAME: "Test IdP",
      // The e2e MCP test server and fake model listen on loopback, which the egress guard
      // refuses otherwise; the providers spec configures a local model at localhost.
      EGRESS_ALLOWLIST: "127.0.0.1,localhost",
    },
  },
];

const localProjects: PlaywrightTestConfig["projects"] = [
  { name: "setup", testMatch: /first-run\.spec\.ts/, use: chrome },
  { name: "app", testIgnore: /first-run\.spec\.ts/, dependencies: ["setup"], use: chrome },
];

// On a deployment: deployed-setup creates the run's admin with E2E_ADMIN_TOKEN and checks that
// the deployment reaches the fixtures; deployed-teardown removes what the run created, even
// when tests failed.
const deployedProjects: PlaywrightTestConfig["projects"] = [
  {
    name: "deployed-setup",
    testMatch: /deployed\.setup\.ts/,
    teardown: "deployed-teardown",
    use: chrome,
  },
  { name: "deployed-teardown", testMatch: /deployed\.teardown\.ts/, use: chrome },
  { name: "deployed", dependencies: ["deployed-setup"], use: chrome },
];

export default defineConfig({
  testDir: "./e2e",
  testMatch: "**/*.spec.ts",
  // Each mode keeps its own artefacts: a deployed run does not wipe a local run's traces.
  outputDir: `./test-results/${mode}`,
  fullyParallel: false,
  workers: 2,
  retries: 0,
  // Room for the accessibility checks (axe, twice per check) on a busy 2-core machine.
  timeout: 90_000,
  expect: { timeout: 10_000 },
  forbidOnly: !!process.env.CI,
  reporter: [
    ["list"],
    ["json", { outputFile: `reports/playwright-${mode}.json` }],
    ["html", { outputFolder: `reports/playwright-html-${mode}`, open: "never" }],
  ],
  use: {
    baseURL: APP_URL,
    // On failure: the trace (npx playwright show-trace <zip>) and a screenshot, kept in
    // outputDir and linked from the HTML report.
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: DEPLOYED ? deployedProjects : localProjects,
  webServer: DEPLOYED ? fixtureServers : [...fixtureServers, ...localServers],
});
