import { expect, type Locator, type Page } from "@playwright/test";
import { expectAccessible } from "../support/a11y";
import { visit } from "../support/hydration";

/** /settings: the account, password change, API tokens and MCP connections. */
export class SettingsPage {
  constructor(readonly page: Page) {}

  async goto(): Promise<void> {
    await visit(this.page, "/settings");
  }

  get tokensHeading() {
    return this.page.getByRole("heading", { name: "API tokens", exact: true });
  }
  get connections() {
    return this.page.getByRole("region", { name: "Connections" });
  }

  /** Creates a token in the dialog and returns the value it shows once. */
  async createToken(name: string): Promise<string> {
    await this.page.getByRole("button", { name: "New token" }).click();
    const dialog = this.page.getByRole("dialog");
    await dialog.getByLabel("Token name").fill(name);
    await dialog.getByRole("button", { name: "Create token" }).click();
    const value = await dialog.getByLabel("New API token").inputValue();
    await dialog.getByRole("button", { name: "Done" }).click();
    return value;
  }

  tokenRow(name: string): Locator {
    return this.page.getByRole("row").filter({ hasText: name });
  }

  async revokeToken(name: string): Promise<void> {
    await this.tokenRow(name)
      .getByRole("button", { name: `Revoke token ${name}` })
      .click();
    await this.page.getByRole("alertdialog").getByRole("button", { name: "Revoke token" }).click();
    // While the dialog is open the page behind it is aria-hidden, so wait for the outcome itself.
    await expect(this.page.getByText(`Token “${name}” revoked`)).toBeVisible();
    await expect(this.page.getByRole("alertdialog")).toBeHidden();
  }

  /** Fills the password form and submits it; the caller asserts the outcome. */
  async changePassword(current: string, next: string): Promise<void> {
    await this.page.getByLabel("Current password").fill(current);
    await this.page.getByLabel("New password", { exact: true }).fill(next);
    await this.page.getByLabel("Repeat the new password").fill(next);
    await this.page.getByRole("button", { name: "Change password" }).click();
  }

  /** One MCP server's entry under Connections (OAuth2 servers a member connects to). */
  connection(serverName: string): Locator {
    return this.connections.getByRole("listitem", { name: serverName });
  }

  async expectAccessible(): Promise<void> {
    await expect(this.tokensHeading).toBeVisible();
    await expectAccessible(this.page, "The settings page");
  }
}
