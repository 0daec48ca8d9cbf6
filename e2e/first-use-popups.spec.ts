// Menus, dialogs and tooltips load their code on first use (components/ui/lazy-popup.tsx):
// their triggers are there at once, and the very first press opens them as it would with the
// code already loaded, by pointer and by keyboard, focus included.
import { expect, test } from "@playwright/test";
import { AppShell } from "./pages/app-shell";
import { McpServerListPage } from "./pages/mcp-servers-page";
import { createMcpServer, deadMcpUrl } from "./support/chat";
import { ADMIN_STATE } from "./support/constants";
import { unique } from "./support/names";

test.use({ storageState: ADMIN_STATE });

test("the first press opens a menu: Enter and ArrowDown focus its first item, a click opens it", async ({
  page,
}) => {
  const name = unique("popups");
  await createMcpServer(page.request, { name, url: await deadMcpUrl() });
  const list = new McpServerListPage(page);
  const shell = new AppShell(page);
  await list.goto();
  await expect(list.row(name)).toBeVisible();

  // Keyboard: Enter on the theme button opens its menu on the first item; Escape returns.
  await shell.themeToggle.focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("menuitemradio", { name: "Light" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("menu")).toHaveCount(0);
  await expect(shell.themeToggle).toBeFocused();

  // ArrowDown on the user menu.
  await shell.userMenu.focus();
  await page.keyboard.press("ArrowDown");
  await expect(page.getByRole("menuitem", { name: "Settings" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(shell.userMenu).toBeFocused();

  // Pointer: one click on a row's actions opens its menu, and its Delete asks first.
  await list.actionsButton(name).click();
  await page.getByRole("menuitem", { name: "Delete" }).click();
  const confirm = page.getByRole("alertdialog", { name: `Delete “${name}”?` });
  await expect(confirm).toBeVisible();
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(confirm).toHaveCount(0);
  await expect(list.row(name)).toBeVisible();
});

test("a tooltip shows on first focus and hover; the phone-width navigation opens on first tap", async ({
  page,
}) => {
  const name = unique("tooltip");
  await createMcpServer(page.request, { name, url: await deadMcpUrl() });
  const list = new McpServerListPage(page);
  await list.goto();
  await expect(list.row(name)).toBeVisible();
  await list.healthBadge(name).hover();
  await expect(page.getByRole("tooltip")).toContainText("Not checked yet");
  await page.mouse.move(0, 0, { steps: 5 });
  await expect(page.getByRole("tooltip")).toHaveCount(0);

  // Focus, on a fresh load: the badge keeps the focus while its tooltip shows.
  await page.reload();
  const badge = list.healthBadge(name);
  await badge.focus();
  await expect(page.getByRole("tooltip")).toContainText("Not checked yet");
  await expect(badge).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("tooltip")).toHaveCount(0);

  await page.setViewportSize({ width: 390, height: 800 });
  await page.reload();
  const shell = new AppShell(page);
  await shell.openNavigation.click();
  const sheet = page.getByRole("dialog", { name: "Navigation" });
  await expect(sheet).toBeVisible();
  await expect(sheet.getByRole("link", { name: "MCP servers" })).toBeVisible();
});
