import { expect, type Locator, type Page } from "@playwright/test";
import { expectAccessible } from "../support/a11y";
import { visit } from "../support/hydration";

export interface NewUser {
  name: string;
  email: string;
  password: string;
}

/** /admin/users: the users table, the Add user and Reset password dialogs. */
export class UsersPage {
  constructor(readonly page: Page) {}

  async goto(): Promise<void> {
    await visit(this.page, "/admin/users");
  }

  async expectLoaded(): Promise<void> {
    await expect(this.page.getByRole("heading", { name: "Users", level: 1 })).toBeVisible();
  }

  get table() {
    return this.page.getByRole("table", { name: "Users" });
  }
  get addUserDialog() {
    return this.page.getByRole("dialog", { name: "Add user" });
  }

  row(email: string): Locator {
    return this.page.getByRole("row").filter({ hasText: email });
  }

  roleSelect(email: string): Locator {
    return this.row(email).getByRole("combobox", { name: `Role of ${email}` });
  }

  /** Opens Add user, fills it and clicks Create user; the caller asserts the outcome. */
  async submitNewUser(user: NewUser): Promise<Locator> {
    if (!(await this.addUserDialog.isVisible())) {
      await this.page.getByRole("button", { name: "Add user" }).click();
    }
    const dialog = this.addUserDialog;
    await dialog.getByLabel("Name").fill(user.name);
    await dialog.getByLabel("Email").fill(user.email);
    await dialog.getByLabel("Password").fill(user.password);
    await dialog.getByRole("button", { name: "Create user" }).click();
    return dialog;
  }

  async setRole(user: { name: string; email: string }, role: "admin" | "member"): Promise<void> {
    await this.roleSelect(user.email).click();
    await this.page.getByRole("option", { name: role }).click();
    await expect(this.page.getByText(`${user.name} is now ${role}`)).toBeVisible();
  }

  async disable(email: string): Promise<void> {
    await this.row(email)
      .getByRole("button", { name: `Disable ${email}` })
      .click();
    await this.page.getByRole("alertdialog").getByRole("button", { name: "Disable user" }).click();
    await expect(this.row(email).getByText("Disabled")).toBeVisible();
  }

  async enable(email: string): Promise<void> {
    await this.row(email)
      .getByRole("button", { name: `Enable ${email}` })
      .click();
    await expect(this.row(email).getByText("Active")).toBeVisible();
  }

  /** Opens the Rename dialog of the user with `email`, currently named `name`. */
  async openRename(email: string, name: string): Promise<Locator> {
    await this.row(email)
      .getByRole("button", { name: `Rename ${email}` })
      .click();
    const dialog = this.page.getByRole("dialog", { name: `Rename ${name}` });
    await expect(dialog).toBeVisible();
    return dialog;
  }

  async resetPassword(user: { name: string; email: string }, password: string): Promise<void> {
    await this.page.getByRole("button", { name: `Reset password of ${user.email}` }).click();
    const dialog = this.page.getByRole("dialog", { name: `Reset password of ${user.name}` });
    await dialog.getByLabel("New password").fill(password);
    await dialog.getByRole("button", { name: "Set password" }).click();
    await expect(dialog).toBeHidden();
  }

  async expectAccessible(label = "The users page"): Promise<void> {
    await expectAccessible(this.page, label);
  }
}
