// Deployed mode, before the specs: with the operator's admin token, create this run's own
// admin (so no spec signs in as a real person), sign it in once for the specs' storage state,
// and find out whether the deployment reaches the fixtures this run started.
import fs from "node:fs";
import path from "node:path";
import { expect, test as setup } from "@playwright/test";
import { LoginPage } from "./pages/login-page";
import { adminJson } from "./support/admin-api";
import { ADMIN, ADMIN_STATE, APP_URL, MCP_TEST_URL, RUN_PREFIX } from "./support/constants";
import { FACTS_FILE, type DeploymentFacts } from "./support/deployment";

setup("this run's admin exists and the fixtures are reachable", async ({ page }) => {
  const me = await adminJson<{ role: string }>("GET", "/api/users/me", 200);
  expect(me.role, `E2E_ADMIN_TOKEN must belong to an admin of ${APP_URL}`).toBe("admin");

  await adminJson("POST", "/api/users", 201, {
    name: ADMIN.name,
    email: ADMIN.email,
    password: ADMIN.password,
    role: "admin",
  });
  await new LoginPage(page).signIn(ADMIN.email, ADMIN.password);
  await page.context().storageState({ path: ADMIN_STATE });

  // Can the deployment reach the MCP test server (and so the fake model beside it)? Its egress
  // guard refuses loopback and private hosts unless EGRESS_ALLOWLIST names them.
  let facts: DeploymentFacts;
  try {
    const probe = await adminJson<{ id: string }>("POST", "/api/mcp/servers", 201, {
      display_name: `${RUN_PREFIX}probe`,
      slug: `${RUN_PREFIX}probe`,
      url: MCP_TEST_URL,
      transport: "streamable_http",
      enabled: false,
    });
    const test = await adminJson<{ ok: boolean; error?: unknown }>(
      "POST",
      `/api/mcp/servers/${probe.id}/test`,
      200,
    );
    facts = {
      fixturesUnreachable: test.ok ? null : `testing ${MCP_TEST_URL}: ${JSON.stringify(test)}`,
    };
    await adminJson("DELETE", `/api/mcp/servers/${probe.id}`, 204);
  } catch (err) {
    facts = { fixturesUnreachable: (err as Error).message };
  }
  fs.mkdirSync(path.dirname(FACTS_FILE), { recursive: true });
  fs.writeFileSync(FACTS_FILE, JSON.stringify(facts));
  if (facts.fixturesUnreachable) console.warn(`deployed-setup: ${facts.fixturesUnreachable}`);
});
