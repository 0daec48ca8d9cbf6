// Deployed mode, before the specs: with the operator's admin token, create this run's own
// admin (so no spec signs in as a real person), sign it in once for the specs' storage state,
// and find out whether the deployment reaches the fixtures this run started.
import fs from "node:fs";
import path from "node:path";
import { expect, test as setup } from "@playwright/test";
import { LoginPage } from "./pages/login-page";
import {
  ADMIN,
  ADMIN_STATE,
  ADMIN_TOKEN,
  APP_URL,
  MCP_TEST_URL,
  RUN_PREFIX,
} from "./support/constants";
import { FACTS_FILE, type DeploymentFacts } from "./support/deployment";

setup("this run's admin exists and the fixtures are reachable", async ({ page, playwright }) => {
  const api = await playwright.request.newContext({
    baseURL: APP_URL,
    extraHTTPHeaders: { Authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  const me = await api.get("/api/users/me");
  expect(me.status(), `E2E_ADMIN_TOKEN on ${APP_URL}: ${await me.text()}`).toBe(200);
  expect((await me.json()).role, "E2E_ADMIN_TOKEN must belong to an admin").toBe("admin");

  const created = await api.post("/api/users", {
    data: { name: ADMIN.name, email: ADMIN.email, password: ADMIN.password, role: "admin" },
  });
  expect(created.status(), await created.text()).toBe(201);

  await new LoginPage(page).signIn(ADMIN.email, ADMIN.password);
  await page.context().storageState({ path: ADMIN_STATE });

  // Can the deployment reach the MCP test server (and so the fake model beside it)? Its egress
  // guard refuses loopback and private hosts unless EGRESS_ALLOWLIST names them.
  const probe = await api.post("/api/mcp/servers", {
    data: {
      display_name: `${RUN_PREFIX}probe`,
      slug: `${RUN_PREFIX}probe`,
      url: MCP_TEST_URL,
      transport: "streamable_http",
      enabled: false,
    },
  });
  let facts: DeploymentFacts;
  if (probe.status() !== 201) {
    facts = { fixturesUnreachable: `creating a server at ${MCP_TEST_URL}: ${await probe.text()}` };
  } else {
    const { id } = (await probe.json()) as { id: string };
    const test = await api.post(`/api/mcp/servers/${id}/test`, { timeout: 60_000 });
    const body = (await test.json()) as { ok?: boolean; error?: unknown };
    facts = {
      fixturesUnreachable: body.ok
        ? null
        : `testing ${MCP_TEST_URL}: ${JSON.stringify(body.error ?? body)}`,
    };
    expect((await api.delete(`/api/mcp/servers/${id}`)).status()).toBe(204);
  }
  fs.mkdirSync(path.dirname(FACTS_FILE), { recursive: true });
  fs.writeFileSync(FACTS_FILE, JSON.stringify(facts));
  if (facts.fixturesUnreachable) console.warn(`deployed-setup: ${facts.fixturesUnreachable}`);
  await api.dispose();
});
