// The pages every journey passes through, checked by axe in light and dark mode as they first
// appear. The journeys themselves check the states they reach (dialogs, errors, answers, tool
// calls, the question form and the plan) at the point they reach them.
import { expect, test } from "@playwright/test";
import { AppShell } from "./pages/app-shell";
import { ChatPage } from "./pages/chat-page";
import { LoginPage } from "./pages/login-page";
import { McpServerListPage } from "./pages/mcp-servers-page";
import { ProvidersPage } from "./pages/providers-page";
import { SettingsPage } from "./pages/settings-page";
import { UsersPage } from "./pages/users-page";
import { AdminWorkspacesPage } from "./pages/workspaces-page";
import { expectAccessible } from "./support/a11y";
import { createFakeModel } from "./support/chat";
import { ADMIN_STATE } from "./support/constants";

test("the sign-in page, also with its error", async ({ browser }) => {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const login = new LoginPage(await context.newPage());
  await login.goto();
  await login.expectAccessible();
  await login.submit("nobody@example.com", "wrong-password");
  await expect(login.invalidCredentials).toBeVisible();
  await login.expectAccessible();
  await context.close();
});

test.describe("signed in as admin", () => {
  test.use({ storageState: ADMIN_STATE });

  test("the chat, settings and the user menu", async ({ page }) => {
    const chat = new ChatPage(page);
    const model = await createFakeModel(page.request);
    await chat.gotoNew();
    await chat.chooseModel(model);
    await expect(chat.composer).toBeVisible();
    await chat.expectAccessible("A new chat");
    await new AppShell(page).openUserMenu();
    await expectAccessible(page, "The user menu");
    await page.keyboard.press("Escape");

    const settings = new SettingsPage(page);
    await settings.goto();
    await settings.expectAccessible();
  });

  // One test per page: each runs axe twice (light and dark), which on a busy machine takes a
  // while; six pages in one test would add up past any test's time budget.
  test("the users page", async ({ page }) => {
    const users = new UsersPage(page);
    await users.goto();
    await users.expectLoaded();
    await expect(users.table.getByRole("row").nth(1)).toBeVisible();
    await users.expectAccessible();
  });

  test("the MCP server list", async ({ page }) => {
    const servers = new McpServerListPage(page);
    await servers.goto();
    await servers.expectAccessible();
  });

  test("the model providers page", async ({ page }) => {
    const providers = new ProvidersPage(page);
    await providers.goto();
    await providers.expectAccessible();
  });

  test("the workspaces page", async ({ page }) => {
    const workspaces = new AdminWorkspacesPage(page);
    await workspaces.goto();
    await expect(workspaces.sandbox).toBeVisible();
    await workspaces.expectAccessible();
  });

  test("the app settings page", async ({ page }) => {
    await page.goto("/admin/settings");
    await expect(page.getByRole("heading", { name: "App settings", level: 1 })).toBeVisible();
    await expectAccessible(page, "The app settings page");
  });
});
