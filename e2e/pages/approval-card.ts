import { expect, type Locator } from "@playwright/test";

/**
 * A tool-call approval card in a conversation ("Run <tool> on <server>?"): the model's intent,
 * the arguments as a form, and Approve / Deny. Takes the conversation (or one message of it),
 * so it never finds another part's controls.
 */
export class ApprovalCard {
  readonly root: Locator;

  constructor(container: Locator, tool: string, serverName: string, hasText?: string) {
    const card = container.getByRole("region", { name: `Run ${tool} on ${serverName}?` });
    this.root = hasText === undefined ? card : card.filter({ hasText });
  }

  /** A form field for one argument, by its label ("text (required)"). */
  argument(label: string): Locator {
    return this.root.getByRole("textbox", { name: label });
  }

  get approveButton() {
    return this.root.getByRole("button", { name: "Approve" });
  }
  get denyButton() {
    return this.root.getByRole("button", { name: "Deny" });
  }

  /** Text shown on the card: the intent, a state ("Waiting for you", "Approved"), a problem. */
  text(text: string): Locator {
    return this.root.getByText(text);
  }

  /** Waits for the card (a paused turn on a busy machine can take a while). */
  async expectShown(timeout = 30_000): Promise<void> {
    await expect(this.root).toBeVisible({ timeout });
  }

  async expectState(state: "Waiting for you" | "Approved" | "Declined"): Promise<void> {
    await expect(this.text(state)).toBeVisible();
  }
}
