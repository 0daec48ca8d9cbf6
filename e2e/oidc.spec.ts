import { expect, test } from "@playwright/test";
import { AppShell } from "./pages/app-shell";
import { IdpLoginPage, LoginPage } from "./pages/login-page";
import { localOnly } from "./support/deployment";

// The IdP fixture (e2e/fixtures/oidc-provider.ts) is started by playwright.config.ts with its
// default user alice@example.com / alice-password.
test("signs in with OIDC, creating a member, and comes back as the same user", async ({ page }) => {
  localOnly("oidc");
  const login = new LoginPage(page);
  const idp = new IdpLoginPage(page);
  await login.goto();
  await login.oidcButton.click();
  await expect(page).toHaveURL(/127\.0\.0\.1:\d+\/interaction\//);
  await idp.submit("alice@example.com", "wrong-password");
  await expect(page.getByRole("alert")).toBeVisible();
  await page.getByLabel("Password").fill("alice-password");
  await page.getByRole("button", { name: "Sign in" }).click();

  await expect(page).toHaveURL(/localhost:\d+\/chat$/);
  const me = await page.request.get("/api/users/me");
  expect(me.status()).toBe(200);
  const first = await me.json();
  expect(first).toMatchObject({
    email: "alice@example.com",
    name: "Alice Example",
    role: "member",
    login_type: "oidc",
  });
  const shell = new AppShell(page);
  await expect(shell.navLink("Users")).toHaveCount(0);
  await shell.signOut();
  expect((await page.request.get("/api/users/me")).status()).toBe(401);

  // The IdP still has a session: signing in again goes straight through to the same account.
  await login.oidcButton.click();
  await expect(page).toHaveURL(/localhost:\d+\/chat$/);
  expect((await (await page.request.get("/api/users/me")).json()).id).toBe(first.id);
});
