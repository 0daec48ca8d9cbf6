import os from "node:os";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";
import {
  APP_PORT,
  APP_URL,
  FAKE_MODEL_PORT,
  MCP_TEST_PORT,
  MCP_OAUTH_PORT,
  IDP_PORT,
  IDP_URL,
  OIDC_CLIENT_ID,
  OIDC_CLIENT_SECRET,
} from "./e2e/support/constants";

// A fresh embedded database per run. Set on process.env so worker processes (which inherit
// it) agree with the main process that starts the servers.
process.env.E2E_DATA_DIR ??= path.join(os.tmpdir(), `toolgate-e2e-${Date.now()}`);

export default defineConfig({
  testDir: "./e2e",
  testMatch: "**/*.spec.ts",
  outputDir: "./test-results",
  fullyParallel: false,
  workers: 2,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  forbidOnly: !!process.env.CI,
  reporter: [["list"], ["json", { outputFile: "reports/playwright.json" }]],
  use: {
    baseURL: APP_URL,
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
  projects: [
    { name: "setup", testMatch: /first-run\.spec\.ts/, use: { ...devices["Desktop Chrome"] } },
    {
      name: "app",
      testIgnore: /first-run\.spec\.ts/,
      dependencies: ["setup"],
      use: { ...devices["Desktop Chrome"] },
    },
  ],
  webServer: [
    {
      command: `npx tsx e2e/fixtures/fake-openai.ts --port ${FAKE_MODEL_PORT}`,
      url: `http://127.0.0.1:${FAKE_MODEL_PORT}/v1/models`,
      reuseExistingServer: false,
      stdout: "pipe",
      timeout: 60_000,
    },
    {
      command: `npx tsx e2e/fixtures/mcp-test-server.ts --port ${MCP_TEST_PORT}`,
      url: `http://127.0.0.1:${MCP_TEST_PORT}/healthz`,
      reuseExistingServer: false,
      stdout: "pipe",
      timeout: 60_000,
    },
    {
      // Protected by the IdP below: tokens are checked against its JWKS, fetched on first use.
      command: `npx tsx e2e/fixtures/mcp-test-server.ts --port ${MCP_OAUTH_PORT} --transports streamable_http --oauth-issuer ${IDP_URL}`,
      url: `http://127.0.0.1:${MCP_OAUTH_PORT}/healthz`,
      reuseExistingServer: false,
      stdout: "pipe",
      timeout: 60_000,
    },
    {
      command: `npx tsx e2e/fixtures/oidc-provider.ts --port ${IDP_PORT} --client-id ${OIDC_CLIENT_ID} --client-secret ${OIDC_CLIENT_SECRET} --redirect-uri ${APP_URL}/api/auth/callback/oidc`,
      url: `${IDP_URL}/.well-known/openid-configuration`,
      reuseExistingServer: false,
      stdout: "pipe",
      timeout: 60_000,
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
  ],
});
