import { expect, type Locator, type Page } from "@playwright/test";
import { visit } from "../support/hydration";

/**
 * The Tools tab of the MCP server editor (/admin/mcp-servers/:id): the server's tool
 * catalogue with a rule per tool, and the review of a definition the server changed.
 */
export class McpToolsTab {
  constructor(readonly page: Page) {}

  /** Opens the server's editor on its Tools tab. */
  async goto(serverId: string): Promise<void> {
    await visit(this.page, `/admin/mcp-servers/${serverId}`);
    await this.open();
  }

  async open(): Promise<void> {
    await this.page.getByRole("tab", { name: /Tools/ }).click();
  }

  get table() {
    return this.page.getByRole("table", { name: "Tools" });
  }

  row(tool: string): Locator {
    return this.table.getByRole("row", { name: tool });
  }

  ruleSelect(tool: string): Locator {
    return this.row(tool).getByRole("combobox", { name: `Rule for ${tool}` });
  }

  /** Chooses a tool's rule ("Enabled", "Disabled", "Ask a person first") and waits for it. */
  async setRule(tool: string, rule: string): Promise<void> {
    await this.ruleSelect(tool).click();
    await this.page.getByRole("option", { name: rule, exact: true }).click();
    await expect(this.ruleSelect(tool)).toHaveText(rule);
  }

  reviewButton(tool: string): Locator {
    return this.row(tool).getByRole("button", { name: "Review change" });
  }

  /** Opens the review of a changed definition: the approved and the new one side by side. */
  async openReview(tool: string): Promise<Locator> {
    await this.reviewButton(tool).click();
    const dialog = this.page.getByRole("dialog", { name: `Review change: ${tool}` });
    await expect(dialog).toBeVisible();
    return dialog;
  }
}
