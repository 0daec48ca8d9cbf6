import { expect, type Locator, type Page } from "@playwright/test";
import { expectAccessible } from "../support/a11y";
import { visit } from "../support/hydration";

/** /admin/workspaces: every workspace with the sandbox status; admins stop them here. */
export class AdminWorkspacesPage {
  constructor(readonly page: Page) {}

  async goto(): Promise<void> {
    await visit(this.page, "/admin/workspaces");
    await expect(this.page.getByRole("heading", { name: "Workspaces", level: 1 })).toBeVisible();
  }

  get sandbox() {
    return this.page.getByRole("region", { name: "Workspace sandbox" });
  }

  row(name: string): Locator {
    return this.page.getByRole("row").filter({ hasText: name });
  }

  stopButton(name: string): Locator {
    return this.row(name).getByRole("button", { name: `Stop workspace ${name}` });
  }

  async stop(name: string): Promise<void> {
    await this.stopButton(name).click();
    const dialog = this.page.getByRole("alertdialog");
    await expect(dialog).toContainText(`Stop “${name}”?`);
    await dialog.getByRole("button", { name: "Stop workspace" }).click();
    await expect(this.page.getByText(`Stopped “${name}”`)).toBeVisible();
  }

  async expectAccessible(): Promise<void> {
    await expectAccessible(this.page, "The workspaces page");
  }
}
