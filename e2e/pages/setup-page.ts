import { expect, type Page } from "@playwright/test";
import { expectAccessible } from "../support/a11y";

/** /setup: creates the first admin while no user exists. */
export class SetupPage {
  constructor(readonly page: Page) {}

  get heading() {
    return this.page.getByRole("heading", { name: "Create the first admin" });
  }

  async fill(input: { name?: string; email: string; password: string }): Promise<void> {
    if (input.name !== undefined) await this.page.getByLabel("Name").fill(input.name);
    await this.page.getByLabel("Email").fill(input.email);
    await this.page.getByLabel("Password").fill(input.password);
  }

  async submit(): Promise<void> {
    await this.page.getByRole("button", { name: "Create admin" }).click();
  }

  /** Shown once after setup: the API token setup created, with what it is for. */
  get tokenCard() {
    return this.page.getByRole("heading", { name: "Your admin account is ready" });
  }

  get tokenField() {
    return this.page.getByRole("textbox", { name: "Setup API token" });
  }

  async continue(): Promise<void> {
    await this.page.getByRole("button", { name: "Continue to toolgate" }).click();
  }

  async expectAccessible(): Promise<void> {
    await expect(this.heading).toBeVisible();
    await expectAccessible(this.page, "The setup page");
  }
}
