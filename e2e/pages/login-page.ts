import { expect, type Page } from "@playwright/test";
import { expectAccessible } from "../support/a11y";

/** /login: email and password, and "Sign in with <provider>" when OIDC is configured. */
export class LoginPage {
  constructor(readonly page: Page) {}

  async goto(query = ""): Promise<void> {
    await this.page.goto(`/login${query}`);
  }

  get email() {
    return this.page.getByLabel("Email");
  }
  get password() {
    return this.page.getByLabel("Password");
  }
  get signInButton() {
    return this.page.getByRole("button", { name: "Sign in", exact: true });
  }
  get oidcButton() {
    return this.page.getByRole("button", { name: "Sign in with OIDC" });
  }
  /** The one message a failed sign-in shows, whatever went wrong. */
  get invalidCredentials() {
    return this.page.getByRole("alert").filter({ hasText: "Invalid email or password." });
  }

  /** Fills the form and submits it, wherever it leads. */
  async submit(email: string, password: string): Promise<void> {
    await this.email.fill(email);
    await this.password.fill(password);
    await this.signInButton.click();
  }

  /** Opens /login (with `query`), signs in and expects to land in the chat. */
  async signIn(email: string, password: string, query = ""): Promise<void> {
    await this.goto(query);
    await this.submit(email, password);
    await expect(this.page).toHaveURL(/\/chat$/);
  }

  async expectAccessible(): Promise<void> {
    await expect(this.signInButton).toBeVisible();
    await expectAccessible(this.page, "The sign-in page");
  }
}

/** The IdP fixture's own login form (e2e/fixtures/oidc-provider.ts), in a page or a popup. */
export class IdpLoginPage {
  constructor(readonly page: Page) {}

  get username() {
    return this.page.getByLabel("Email or username");
  }

  async submit(username: string, password: string): Promise<void> {
    await this.username.fill(username);
    await this.page.getByLabel("Password").fill(password);
    await this.page.getByRole("button", { name: "Sign in" }).click();
  }
}
