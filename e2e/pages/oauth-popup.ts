import { expect, type Page } from "@playwright/test";
import { IdpLoginPage } from "./login-page";

/**
 * The window an MCP server's Connect opens (a popup, or a tab when popups are blocked): the
 * authorization server's pages, then toolgate's callback page, which closes itself half a
 * second after it loads when it has an opener.
 *
 * Waiting for its end polls `isClosed()` rather than `waitForEvent("close")`: on a busy
 * machine the window can be gone before the test gets to wait, and a close event that was
 * already emitted never comes again (the wait would hang until the test's timeout).
 */
export class OauthPopup {
  constructor(readonly page: Page) {}

  /** Waits until the window has closed itself, however early that happened. */
  async expectClosed(timeout = 30_000): Promise<void> {
    await expect
      .poll(() => this.page.isClosed(), { timeout, message: "the sign-in window closes" })
      .toBe(true);
  }

  /**
   * Lets the flow finish: the IdP knows the user from the app's sign-in and answers at once;
   * if it still asks, the user signs in in the window. Then the window closes.
   */
  async finish(login: { username: string; password: string }): Promise<void> {
    const idp = new IdpLoginPage(this.page);
    const asks = async () => {
      if (this.page.isClosed()) return "closed";
      return (await idp.username.isVisible().catch(() => false)) ? "asks" : "busy";
    };
    await expect.poll(asks, { timeout: 30_000 }).not.toBe("busy");
    if (!this.page.isClosed() && (await asks()) === "asks") {
      await idp.submit(login.username, login.password);
    }
    await this.expectClosed();
  }
}
