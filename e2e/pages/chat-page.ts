import { expect, type Locator, type Page } from "@playwright/test";
import { expectAccessible } from "../support/a11y";
import { ApprovalCard } from "./approval-card";
import { visit } from "../support/hydration";

/**
 * /chat and /chat/:id: the model and server pickers, the composer, the conversation and the
 * history. Parts of a conversation that have their own controls (the question form, the
 * proposed plan, the approval card) are reached from `conversation`: a page object
 * for such a part takes that locator (see e2e/pages/README.md).
 */
export class ChatPage {
  constructor(readonly page: Page) {}

  get conversation() {
    return this.page.getByRole("region", { name: "Messages" });
  }
  get composer() {
    return this.page.getByRole("textbox", { name: "Message" });
  }
  get sendButton() {
    return this.page.getByRole("button", { name: "Send message" });
  }
  get stopButton() {
    return this.page.getByRole("button", { name: "Stop generating" });
  }
  get planSwitch() {
    return this.page.getByRole("switch", { name: "Plan mode" });
  }
  get history() {
    return this.page.getByRole("navigation", { name: "Chat history" });
  }
  get historySearch() {
    return this.history.getByRole("searchbox", { name: "Search chats" });
  }
  get serverPickerButton() {
    return this.page.getByRole("button", { name: /MCP servers/ });
  }
  get serverMenu() {
    return this.page.getByRole("menu", { name: "MCP servers" });
  }
  get userMessages() {
    return this.conversation.locator('[data-role="user"]');
  }
  get assistantMessages() {
    return this.conversation.locator('[data-role="assistant"]');
  }

  /** The "‹ 1 / 2 ›" control of a message with several versions. */
  versions(message: Locator, kind: "message" | "answer"): Locator {
    return message.getByRole("group", { name: `Versions of this ${kind}` });
  }

  async previousVersion(message: Locator, kind: "message" | "answer"): Promise<void> {
    await this.versions(message, kind)
      .getByRole("button", { name: `Previous version of this ${kind}` })
      .click();
  }

  async nextVersion(message: Locator, kind: "message" | "answer"): Promise<void> {
    await this.versions(message, kind)
      .getByRole("button", { name: `Next version of this ${kind}` })
      .click();
  }

  /** Edits a question in place and sends it: a new branch starts from there. */
  async editMessage(message: Locator, text: string): Promise<void> {
    await message.hover();
    await message.getByRole("button", { name: "Edit message" }).click();
    const form = message.getByRole("form", { name: "Edit message" });
    await form.getByRole("textbox", { name: "Edited message" }).fill(text);
    await form.getByRole("button", { name: "Send" }).click();
  }

  async regenerateLastAnswer(): Promise<void> {
    await this.assistantMessages.last().getByRole("button", { name: "Regenerate answer" }).click();
  }

  /** Types into the history's search box; results come from the server. */
  get searchResults() {
    return this.history.getByRole("list", { name: "Search results" });
  }

  async gotoNew(): Promise<void> {
    await visit(this.page, "/chat");
    await expect(this.page.getByRole("heading", { name: "New chat", level: 1 })).toBeVisible();
  }

  async goto(chatId: string): Promise<void> {
    await visit(this.page, `/chat/${chatId}`);
  }

  async chooseModel(model: string): Promise<void> {
    const picker = this.page.getByRole("combobox", { name: "Model" });
    const list = this.page.getByRole("listbox");
    // Tests running beside this one add models: the open list can be laid out anew under the
    // pointer and the click lands elsewhere. The choice is retried until the picker shows it
    // with its list closed (a web-first retry, no sleep); a picker that never does still fails.
    await expect(async () => {
      if (!(await list.isVisible())) await picker.click();
      await this.page.getByRole("option", { name: model, exact: true }).click({ timeout: 5_000 });
      await expect(picker).toHaveText(model, { timeout: 2_000 });
      await expect(list).toBeHidden({ timeout: 2_000 });
    }).toPass({ timeout: 30_000 });
  }

  /** The picker's entry for a server (a checkbox item; "Connect …" items are separate). */
  serverItem(serverName: string): Locator {
    return this.serverMenu.getByRole("menuitemcheckbox", { name: new RegExp(serverName) });
  }

  async openServerPicker(name: RegExp = /MCP servers/): Promise<Locator> {
    await this.page.getByRole("button", { name }).click();
    await expect(this.serverMenu).toBeVisible();
    return this.serverMenu;
  }

  async closeMenu(): Promise<void> {
    await this.page.keyboard.press("Escape");
    await expect(this.serverMenu).toBeHidden();
  }

  /** Turns on one server that starts off for this chat (availability default_off). */
  async pickServer(serverName: string): Promise<void> {
    await this.openServerPicker();
    const item = this.serverItem(serverName);
    await expect(item).toHaveAttribute("aria-checked", "false");
    await item.click();
    await expect(item).toHaveAttribute("aria-checked", "true");
    await this.closeMenu();
  }

  /** A new chat with `model` and, when named, exactly that default_off server picked. */
  async startNew(model: string, serverName?: string): Promise<void> {
    await this.gotoNew();
    await this.chooseModel(model);
    if (serverName !== undefined) await this.pickServer(serverName);
  }

  /** Types a message and sends it with Enter. */
  async send(text: string): Promise<void> {
    await this.composer.fill(text);
    await this.composer.press("Enter");
  }

  /** Types a message and sends it with the send button. */
  async sendWithButton(text: string): Promise<void> {
    await this.composer.fill(text);
    await this.sendButton.click();
  }

  /** Waits for text of an answer (turns on a busy machine can take a while). */
  async expectAnswer(text: string, timeout = 30_000): Promise<void> {
    await expect(this.conversation.getByText(text)).toBeVisible({ timeout });
  }

  /** The disclosure of one tool call, named by its label (the model's intent or the tool). */
  toolCallDetails(label: string): Locator {
    return this.conversation.getByRole("button", { name: `Show details for ${label}` });
  }

  /** Notices in the conversation (role status) with this text. */
  notice(text: string): Locator {
    return this.conversation.getByRole("status").filter({ hasText: text });
  }

  questionForm(name: RegExp): Locator {
    return this.conversation.getByRole("form", { name });
  }

  get proposedPlan() {
    return this.conversation.getByRole("region", { name: "Proposed plan" });
  }

  /** The approval card of a paused call of `tool` on `serverName` (the one with `hasText`). */
  approvalCard(tool: string, serverName: string, hasText?: string): ApprovalCard {
    return new ApprovalCard(this.conversation, tool, serverName, hasText);
  }

  /** The chat list's mark on a chat that waits for an answer. */
  get waitingMark() {
    return this.page.getByText("(waiting for you)").first();
  }

  async openToolsDialog(): Promise<Locator> {
    await this.page.getByRole("button", { name: "Tools" }).click();
    const dialog = this.page.getByRole("dialog", { name: "Tools in this chat" });
    await expect(dialog).toBeVisible();
    return dialog;
  }

  /** One tool's entry in the open Tools dialog, by its exposed name (`<slug>__<tool>`). */
  toolEntry(dialog: Locator, exposedName: string): Locator {
    return dialog.locator("li", { has: this.page.getByText(exposedName, { exact: true }) });
  }

  /** Opens the read-only workspace file browser: its tree and its viewer. */
  async openWorkspaceFiles(): Promise<{ sheet: Locator; tree: Locator; viewer: Locator }> {
    await this.page.getByRole("button", { name: "Workspace files" }).click();
    const sheet = this.page.getByRole("dialog", { name: "Workspace files" });
    await expect(sheet).toBeVisible();
    return {
      sheet,
      tree: sheet.getByRole("navigation", { name: "Workspace file tree" }),
      viewer: sheet.getByRole("region", { name: "File viewer" }),
    };
  }

  async expectAccessible(label = "The chat"): Promise<void> {
    await expect(this.page.locator("main").first()).toBeVisible();
    await expectAccessible(this.page, label);
  }
}
