import { expect, type Download, type Locator, type Page } from "@playwright/test";
import { expectAccessible } from "../support/a11y";
import { visit } from "../support/hydration";

/** /admin/audit: the tool-call audit, its filters, a call's details and the CSV download. */
export class AuditPage {
  constructor(readonly page: Page) {}

  async goto(): Promise<void> {
    await visit(this.page, "/admin/audit");
    await expect(this.page.getByRole("heading", { name: "Audit", level: 1 })).toBeVisible();
  }

  get filters() {
    return this.page.getByRole("form", { name: "Filter tool calls" });
  }
  get table() {
    return this.page.getByRole("table", { name: "Tool calls" });
  }

  /** Sets the filters given (the server by its display name) and applies them. */
  async filter(by: { server?: string; decision?: string }): Promise<void> {
    if (by.server !== undefined) {
      await this.filters.getByLabel("Server").selectOption({ label: by.server });
    }
    if (by.decision !== undefined) {
      await this.filters.getByLabel("Decision").selectOption(by.decision);
    }
    await this.filters.getByRole("button", { name: "Apply filters" }).click();
  }

  /** Opens the details drawer of a call of `tool`. */
  async openDetails(tool: string): Promise<Locator> {
    await this.table
      .getByRole("button", { name: new RegExp(`Details of the ${tool} call`) })
      .click();
    const drawer = this.page.getByRole("dialog", { name: "Tool call" });
    await expect(drawer).toBeVisible();
    return drawer;
  }

  async downloadCsv(): Promise<Download> {
    const [download] = await Promise.all([
      this.page.waitForEvent("download"),
      this.page.getByRole("link", { name: "Download CSV" }).click(),
    ]);
    return download;
  }

  async expectAccessible(label = "The audit page"): Promise<void> {
    await expectAccessible(this.page, label);
  }
}
