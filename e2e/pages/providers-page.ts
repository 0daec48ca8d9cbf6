import { expect, type Locator, type Page } from "@playwright/test";
import { expectAccessible } from "../support/a11y";

/** /admin/providers: the model providers table and its add / edit dialog. */
export class ProvidersPage {
  constructor(readonly page: Page) {}

  async goto(): Promise<void> {
    await this.page.goto("/admin/providers");
    await expect(
      this.page.getByRole("heading", { name: "Model providers", level: 1 }),
    ).toBeVisible();
  }

  get dialog() {
    return this.page.getByRole("dialog");
  }

  /** The empty state or the page header offers it, depending on what exists. */
  async openAdd(): Promise<Locator> {
    await this.page.getByRole("button", { name: "Add provider" }).first().click();
    await expect(this.dialog).toBeVisible();
    return this.dialog;
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
