import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./support/auth";
import { ADMIN_STATE, APP_URL } from "./support/constants";

const PLAN_MODE_SWITCH = "Allow all tools from this MCP server in root plan mode";
// Cookie-authenticated writes made with page.request need the Origin a browser would send.
const SAME_ORIGIN = { Origin: APP_URL };

async function saveChanges(page: Page) {
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Saved", { exact: true }).first()).toBeVisible();
}

test.describe("as admin", () => {
  test.use({ storageState: ADMIN_STATE });

  test("adds, configures, tests and deletes an MCP server", async ({ page }) => {
    const stamp = Date.now();
    const name = `E2E Docs ${stamp}`;
    const secret = `sk-e2e-${stamp}-do-not-leak`;

    await page.goto("/admin/mcp-servers");
    await expect(page.getByRole("heading", { name: "MCP servers", level: 1 })).toBeVisible();
    await page.getByRole("link", { name: "Add server" }).first().click();
    await expect(page).toHaveURL(/\/admin\/mcp-servers\/new$/);

    // Client-side checks use the route's own schema before anything is sent.
    await page.getByRole("button", { name: "Create server" }).click();
    await expect(page.getByText("Display name is required")).toBeVisible();

    await page.getByLabel("Display name").fill(name);
    await expect(page.getByLabel("Slug")).toHaveValue(`e2e-docs-${stamp}`);

    // A link-local (cloud metadata) URL is refused by the server's egress guard, shown beside
    // the field. (The e2e app allowlists 127.0.0.1 for its MCP test server.)
    await page
      .getByRole("textbox", { name: "URL", exact: true })
      .fill("http://169.254.169.254/latest");
    await page.getByRole("button", { name: "Create server" }).click();
    await expect(page.getByText(/URL points to a loopback/)).toBeVisible();

    await page
      .getByRole("textbox", { name: "URL", exact: true })
      .fill("https://mcp.example.com/mcp");
    await page.getByRole("button", { name: "Create server" }).click();
    await expect(page).toHaveURL(/\/admin\/mcp-servers\/[0-9a-f-]{36}$/);
    const id = page.url().split("/").pop()!;
    await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();

    // Plan mode approval survives a reload and is what the API reports.
    const planMode = page.getByRole("switch", { name: PLAN_MODE_SWITCH, exact: true });
    await expect(planMode).not.toBeChecked();
    await planMode.click();
    await expect(page.getByLabel("Only these tools in plan mode")).toBeVisible();
    await saveChanges(page);
    await page.reload();
    await expect(page.getByRole("switch", { name: PLAN_MODE_SWITCH, exact: true })).toBeChecked();
    const afterPlan = await page.request.get(`/api/mcp/servers/${id}`);
    expect(afterPlan.status()).toBe(200);
    expect((await afterPlan.json()).allow_in_plan_mode).toBe(true);

    // An API key is write-only: after saving it never comes back to the browser.
    await page.getByRole("combobox", { name: "Authentication type" }).click();
    await page.getByRole("option", { name: "API key" }).click();
    await page.getByLabel("Header name", { exact: true }).fill("X-API-Key");
    await page.getByLabel("Key value").fill(secret);
    await saveChanges(page);
    await page.reload();
    await expect(page.getByLabel("Key value")).toHaveValue("");
    await expect(page.getByLabel("Key value")).toHaveAttribute("placeholder", /stored/);
    await expect(page.getByRole("button", { name: "Clear stored API key" })).toBeVisible();
    expect(await page.content()).not.toContain(secret);
    const afterKey = await page.request.get(`/api/mcp/servers/${id}`);
    const keyText = await afterKey.text();
    expect(keyText).not.toContain(secret);
    expect(JSON.parse(keyText)).toMatchObject({
      auth_type: "api_key",
      api_key_header: "X-API-Key",
      has_api_key: true,
    });

    // The test dials the saved URL; mcp.example.com serves no MCP, so it reports a failure.
    const testCard = page.locator("[data-slot=card]").filter({
      has: page.getByRole("heading", { name: "Test connection" }),
    });
    await testCard.getByRole("button", { name: "Test connection" }).click();
    await expect(testCard.getByRole("alert")).toBeVisible({ timeout: 30_000 });

    // The list shows the server; enabling it is one switch.
    await page.getByRole("link", { name: "MCP servers" }).first().click();
    const table = page.getByRole("table", { name: "MCP servers" });
    const row = table.getByRole("row").filter({ hasText: name });
    await expect(row).toBeVisible();
    await expect(row.getByText("API key")).toBeVisible();
    const enabled = row.getByRole("switch", { name: `Enabled: ${name}` });
    await expect(enabled).not.toBeChecked();
    await enabled.click();
    await expect(page.getByText(`${name} is enabled`)).toBeVisible();
    await expect(enabled).toBeChecked();
    expect((await (await page.request.get(`/api/mcp/servers/${id}`)).json()).enabled).toBe(true);

    // Delete asks first, names the server, and removes it.
    await row.getByRole("button", { name: `Actions for ${name}` }).click();
    await page.getByRole("menuitem", { name: "Delete" }).click();
    const confirm = page.getByRole("alertdialog", { name: `Delete “${name}”?` });
    await expect(confirm).toBeVisible();
    await confirm.getByRole("button", { name: "Delete server" }).click();
    await expect(page.getByText(`Deleted “${name}”`)).toBeVisible();
    await expect(row).toHaveCount(0);
    expect((await page.request.get(`/api/mcp/servers/${id}`)).status()).toBe(404);
  });
});

test("a member gets the admins-only page and cannot create servers", async ({ browser }) => {
  const stamp = Date.now();
  const member = {
    name: "Max Member",
    email: `max-${stamp}@example.com`,
    password: "member-password",
  };
  const admin = await browser.newContext({ storageState: ADMIN_STATE });
  const adminPage = await admin.newPage();
  const created = await adminPage.request.post("/api/users", {
    data: { ...member, role: "member" },
    headers: SAME_ORIGIN,
  });
  expect(created.status()).toBe(201);
  await admin.close();

  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, member.email, member.password);
  await expect(page.getByRole("link", { name: "MCP servers" })).toHaveCount(0);
  await page.goto("/admin/mcp-servers");
  await expect(page.getByRole("heading", { name: "Admins only" })).toBeVisible();
  await expect(page.getByRole("table", { name: "MCP servers" })).toHaveCount(0);
  await page.goto("/admin/mcp-servers/new");
  await expect(page.getByRole("heading", { name: "Admins only" })).toBeVisible();

  const api = await page.request.post("/api/mcp/servers", {
    data: { display_name: `Sneaky ${stamp}`, url: "https://mcp.example.com/mcp" },
    headers: SAME_ORIGIN,
  });
  expect(api.status()).toBe(403);
  expect((await api.json()).code).toBe("auth.forbidden");
  await context.close();
});
