import { expect, type Page } from "@playwright/test";

/** What every signed-in page has: the navigation and the user menu. */
export class AppShell {
  constructor(readonly page: Page) {}

  /** A link of the main navigation ("Users", "MCP servers", "Model providers", …). */
  navLink(name: string) {
    return this.page.getByRole("link", { name });
  }

  /** A link of the main navigation only (a page may have links of the same name). */
  mainNavLink(name: string) {
    return this.page.getByRole("navigation", { name: "Main" }).getByRole("link", { name });
  }

  get userMenu() {
    return this.page.getByRole("button", { name: "User menu" }).first();
  }

  /** The theme menu's button (the sidebar's; the phone-width header has its own). */
  get themeToggle() {
    return this.page.getByRole("button", { name: "Toggle theme" }).first();
  }

  /** The navigation sheet's button, shown at phone width. */
  get openNavigation() {
    return this.page.getByRole("button", { name: "Open navigation" });
  }

  get adminsOnly() {
    return this.page.getByRole("heading", { name: "Admins only" });
  }

  async openUserMenu(): Promise<void> {
    await this.userMenu.click();
    await expect(this.page.getByRole("menuitem", { name: "Sign out" })).toBeVisible();
  }

  async signOut(): Promise<void> {
    await this.userMenu.click();
    await this.page.getByRole("menuitem", { name: "Sign out" }).click();
    await expect(this.page).toHaveURL(/\/login/);
  }
}
