import { expect, type Locator, type Page } from "@playwright/test";
import { expectAccessible } from "../support/a11y";
import { visit } from "../support/hydration";

/** /admin/mcp-servers: the list of servers, with the enable switch and the row actions. */
export class McpServerListPage {
  constructor(readonly page: Page) {}

  get table() {
    return this.page.getByRole("table", { name: "MCP servers" });
  }
  get heading() {
    return this.page.getByRole("heading", { name: "MCP servers", level: 1 });
  }

  async goto(): Promise<void> {
    await visit(this.page, "/admin/mcp-servers");
    await expect(this.heading).toBeVisible();
  }

  /** The header's button or the empty state's, whichever the list shows. */
  async addServer(): Promise<McpServerEditorPage> {
    await this.page.getByRole("link", { name: "Add server" }).first().click();
    await expect(this.page).toHaveURL(/\/admin\/mcp-servers\/new$/);
    return new McpServerEditorPage(this.page);
  }

  row(name: string): Locator {
    return this.table.getByRole("row").filter({ hasText: name });
  }

  enabledSwitch(name: string): Locator {
    return this.row(name).getByRole("switch", { name: `Enabled: ${name}` });
  }

  actionsButton(name: string): Locator {
    return this.row(name).getByRole("button", { name: `Actions for ${name}` });
  }

  /** The row's health badge: the Health cell's focusable element, its detail as a tooltip. */
  healthBadge(name: string): Locator {
    return this.row(name).getByRole("cell").nth(3).locator('[tabindex="0"]');
  }

  /** Deletes through the row's menu and the confirmation that names the server. */
  async deleteServer(name: string): Promise<void> {
    await this.actionsButton(name).click();
    await this.page.getByRole("menuitem", { name: "Delete" }).click();
    const confirm = this.page.getByRole("alertdialog", { name: `Delete “${name}”?` });
    await expect(confirm).toBeVisible();
    await confirm.getByRole("button", { name: "Delete server" }).click();
    await expect(this.page.getByText(`Deleted “${name}”`)).toBeVisible();
  }

  async expectAccessible(): Promise<void> {
    await expectAccessible(this.page, "The MCP server list");
  }
}

/**
 * /admin/mcp-servers/new and /admin/mcp-servers/:id: the server form and its sections. A page
 * object for a section with its own controls (such as a Tools tab) takes `page` and scopes
 * itself to its region or tab panel, like `testConnectionCard` here.
 */
export class McpServerEditorPage {
  static readonly PLAN_MODE_SWITCH = "Allow all tools from this MCP server in root plan mode";

  constructor(readonly page: Page) {}

  async gotoNew(): Promise<void> {
    await visit(this.page, "/admin/mcp-servers/new");
  }

  async goto(id: string): Promise<void> {
    await visit(this.page, `/admin/mcp-servers/${id}`);
  }

  get displayName() {
    return this.page.getByLabel("Display name");
  }
  get slug() {
    return this.page.getByLabel("Slug");
  }
  get url() {
    return this.page.getByRole("textbox", { name: "URL", exact: true });
  }
  get planModeSwitch() {
    return this.page.getByRole("switch", {
      name: McpServerEditorPage.PLAN_MODE_SWITCH,
      exact: true,
    });
  }
  get apiKeyValue() {
    return this.page.getByLabel("Key value");
  }
  get clearStoredKey() {
    return this.page.getByRole("button", { name: "Clear stored API key" });
  }
  get testConnectionCard() {
    return this.page.locator("[data-slot=card]").filter({
      has: this.page.getByRole("heading", { name: "Test connection" }),
    });
  }

  /** Shown while the form has edits that are not saved. */
  get unsavedChanges() {
    return this.page.getByText("You have unsaved changes.", { exact: true });
  }
  /** Asked when leaving the form with unsaved edits through a link. */
  get leavePrompt() {
    return this.page.getByRole("alertdialog", { name: "Leave without saving?" });
  }
  get backToListLink() {
    return this.page.getByRole("link", { name: "Back to list" });
  }

  /** Waits for the form to show the stored server: it loads after the page (slow when busy). */
  async expectLoaded(displayName: string): Promise<void> {
    await expect(this.displayName).toHaveValue(displayName, { timeout: 30_000 });
  }

  heading(name: string): Locator {
    return this.page.getByRole("heading", { name, level: 1 });
  }

  /** The server's id, from the editor's URL. */
  id(): string {
    return this.page.url().split("/").pop()!;
  }

  async chooseAuthType(option: "None" | "API key" | "OAuth2" | string): Promise<void> {
    await this.page.getByRole("combobox", { name: "Authentication type" }).click();
    await this.page.getByRole("option", { name: option }).click();
  }

  /** Clicks "Create server"; the caller asserts where that leads. */
  async create(): Promise<void> {
    await this.page.getByRole("button", { name: "Create server" }).click();
  }

  async expectCreated(name: string): Promise<void> {
    await expect(this.page).toHaveURL(/\/admin\/mcp-servers\/[0-9a-f-]{36}$/);
    await expect(this.heading(name)).toBeVisible();
  }

  async save(): Promise<void> {
    await this.page.getByRole("button", { name: "Save changes" }).click();
    await expect(this.page.getByText("Saved", { exact: true }).first()).toBeVisible();
  }

  async testConnection(): Promise<Locator> {
    await this.testConnectionCard.getByRole("button", { name: "Test connection" }).click();
    return this.testConnectionCard;
  }

  /** Back to the list through the navigation. */
  async backToList(): Promise<McpServerListPage> {
    await this.page.getByRole("link", { name: "MCP servers" }).first().click();
    return new McpServerListPage(this.page);
  }

  async expectAccessible(label = "The MCP server editor"): Promise<void> {
    await expect(this.displayName).toBeVisible();
    await expectAccessible(this.page, label);
  }
}
