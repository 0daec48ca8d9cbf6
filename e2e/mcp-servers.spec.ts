import { expect, test } from "@playwright/test";
import { AppShell } from "./pages/app-shell";
import { LoginPage } from "./pages/login-page";
import { McpServerEditorPage, McpServerListPage } from "./pages/mcp-servers-page";
import { apiPost, SAME_ORIGIN } from "./support/api";
import { ADMIN_STATE } from "./support/constants";
import { unique, uniqueEmail } from "./support/names";
import { reload } from "./support/hydration";

test.describe("as admin", () => {
  test.use({ storageState: ADMIN_STATE });

  test("adds, configures, tests and deletes an MCP server", async ({ page }) => {
    const slug = unique("docs");
    // Upper case and spaces, so the slug the form proposes is really derived from it.
    const name = slug.toUpperCase().replace(/-/g, " ");
    const secret = `sk-${slug}-do-not-leak`;
    const list = new McpServerListPage(page);

    await list.goto();
    await list.expectAccessible();
    const editor = await list.addServer();

    // Client-side checks use the route's own schema before anything is sent.
    await editor.create();
    await expect(page.getByText("Display name is required")).toBeVisible();
    await editor.expectAccessible("The new MCP server form with an error");

    await editor.displayName.fill(name);
    await expect(editor.slug).toHaveValue(slug);

    // A link-local (cloud metadata) URL is refused by the server's egress guard, shown beside
    // the field. (The e2e app allowlists 127.0.0.1 for its MCP test server.)
    await editor.url.fill("http://169.254.169.254/latest");
    await editor.create();
    await expect(page.getByText(/URL points to a loopback/)).toBeVisible();

    await editor.url.fill("https://mcp.example.com/mcp");
    await editor.create();
    await editor.expectCreated(name);
    const id = editor.id();

    // Plan mode approval survives a reload and is what the API reports.
    await expect(editor.planModeSwitch).not.toBeChecked();
    await editor.planModeSwitch.click();
    await expect(page.getByLabel("Only these tools in plan mode")).toBeVisible();
    await editor.save();
    await reload(page);
    await expect(editor.planModeSwitch).toBeChecked();
    const afterPlan = await page.request.get(`/api/mcp/servers/${id}`);
    expect(afterPlan.status()).toBe(200);
    expect((await afterPlan.json()).allow_in_plan_mode).toBe(true);

    // An API key is write-only: after saving it never comes back to the browser.
    await editor.chooseAuthType("API key");
    await page.getByLabel("Header name", { exact: true }).fill("X-API-Key");
    await editor.apiKeyValue.fill(secret);
    await editor.save();
    await reload(page);
    await expect(editor.apiKeyValue).toHaveValue("");
    await expect(editor.apiKeyValue).toHaveAttribute("placeholder", /stored/);
    await expect(editor.clearStoredKey).toBeVisible();
    expect(await page.content()).not.toContain(secret);
    const afterKey = await page.request.get(`/api/mcp/servers/${id}`);
    const keyText = await afterKey.text();
    expect(keyText).not.toContain(secret);
    expect(JSON.parse(keyText)).toMatchObject({
      auth_type: "api_key",
      api_key_header: "X-API-Key",
      has_api_key: true,
    });
    await editor.expectAccessible("An MCP server's editor");

    // The test dials the saved URL; mcp.example.com serves no MCP, so it reports a failure.
    const testCard = await editor.testConnection();
    await expect(testCard.getByRole("alert")).toBeVisible({ timeout: 30_000 });

    // The list shows the server; enabling it is one switch.
    await editor.backToList();
    const row = list.row(name);
    await expect(row).toBeVisible();
    await expect(row.getByText("API key")).toBeVisible();
    const enabled = list.enabledSwitch(name);
    await expect(enabled).not.toBeChecked();
    await enabled.click();
    await expect(page.getByText(`${name} is enabled`)).toBeVisible();
    await expect(enabled).toBeChecked();
    expect((await (await page.request.get(`/api/mcp/servers/${id}`)).json()).enabled).toBe(true);

    // Delete asks first, names the server, and removes it.
    await list.deleteServer(name);
    await expect(row).toHaveCount(0);
    expect((await page.request.get(`/api/mcp/servers/${id}`)).status()).toBe(404);
  });
});

test("a member gets the admins-only page and cannot create servers", async ({ browser }) => {
  const member = { name: "Max Member", email: uniqueEmail("max"), password: "member-password" };
  const admin = await browser.newContext({ storageState: ADMIN_STATE });
  await apiPost(await admin.newPage().then((p) => p.request), "/api/users", {
    ...member,
    role: "member",
  });
  await admin.close();

  const context = await browser.newContext();
  const page = await context.newPage();
  const shell = new AppShell(page);
  await new LoginPage(page).signIn(member.email, member.password);
  await expect(shell.navLink("MCP servers")).toHaveCount(0);
  await page.goto("/admin/mcp-servers");
  await expect(shell.adminsOnly).toBeVisible();
  await expect(new McpServerListPage(page).table).toHaveCount(0);
  await new McpServerEditorPage(page).gotoNew();
  await expect(shell.adminsOnly).toBeVisible();

  const api = await page.request.post("/api/mcp/servers", {
    data: { display_name: unique("sneaky"), url: "https://mcp.example.com/mcp" },
    headers: SAME_ORIGIN,
  });
  expect(api.status()).toBe(403);
  expect((await api.json()).code).toBe("auth.forbidden");
  await context.close();
});
