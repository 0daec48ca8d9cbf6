import { expect, type Locator, type Page } from "@playwright/test";
import { expectAccessible } from "../support/a11y";
import { visit } from "../support/hydration";

/** /admin/providers: the model providers table and its add / edit dialog. */
export class ProvidersPage {
  constructor(readonly page: Page) {}

  async goto(): Promise<void> {
    await visit(this.page, "/admin/providers");
    await expect(
      this.page.getByRole("heading", { name: "Model providers", level: 1 }),
    ).toBeVisible();
  }

  get dialog() {
    return this.page.getByRole("dialog");
  }

  /**
   * The empty state or the page header offers it, depending on what exists. A click before
   * the page has hydrated opens nothing: clicked again until the dialog shows.
   */
  async openAdd(): Promise<Locator> {
    await expect(async () => {
      if (!(await this.dialog.isVisible())) {
        await this.page.getByRole("button", { name: "Add provider" }).first().click();
      }
      await expect(this.dialog).toBeVisible({ timeout: 2_000 });
    }).toPass();
    return this.dialog;
  }

  /** The dialog's button that asks the provider's API for its models. */
  get listModelsButton() {
    return this.dialog.getByRole("button", { name: "List models from the provider" });
  }
  /** The models the provider answered with, as checkboxes. */
  get offeredModels() {
    return this.dialog.getByRole("list", { name: "Models the provider offers" });
  }

  /** The row's Test button, and the status that shows its result. */
  async test(name: string): Promise<Locator> {
    await this.row(name)
      .getByRole("button", { name: `Test ${name}` })
      .click();
    return this.row(name).getByRole("status", { name: `Test result of ${name}` });
  }

  async openEdit(name: string): Promise<Locator> {
    await this.row(name)
      .getByRole("button", { name: `Edit ${name}` })
      .click();
    await expect(this.dialog).toBeVisible();
    return this.dialog;
  }

  row(name: string): Locator {
    return this.page
      .getByRole("table", { name: "Model providers" })
      .getByRole("row")
      .filter({ hasText: name });
  }

  modelBadges(name: string): Locator {
    return this.row(name)
      .getByRole("list", { name: `Models of ${name}` })
      .getByRole("listitem");
  }

  async delete(name: string): Promise<void> {
    await this.row(name)
      .getByRole("button", { name: `Delete ${name}` })
      .click();
    await this.page
      .getByRole("alertdialog")
      .getByRole("button", { name: "Delete provider" })
      .click();
    // While the dialog is open the page behind it is aria-hidden, so wait for the outcome itself.
    await expect(this.page.getByText(`Deleted “${name}”`)).toBeVisible();
    await expect(this.page.getByRole("alertdialog")).toBeHidden();
  }

  async expectAccessible(label = "The model providers page"): Promise<void> {
    await expectAccessible(this.page, label);
  }
}
