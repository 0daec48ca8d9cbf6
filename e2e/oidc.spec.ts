import { expect, test } from "@playwright/test";
import { signOut } from "./support/auth";

// The IdP fixture (e2e/fixtures/oidc-provider.ts) is started by playwright.config.ts with its
// default user alice@example.com / alice-password.
test("signs in with OIDC, creating a member, and comes back as the same user", async ({ page }) => {
  await page.goto("/login");
  await page.getByRole("button", { name: "Sign in with OIDC" }).click();
  await expect(page).toHaveURL(/127\.0\.0\.1:\d+\/interaction\//);
  await page.getByLabel("Email or username").fill("alice@example.com");
  await page.getByLabel("Password").fill("wrong-password");
  await page.getByRole("button", { name: "Sign in" }).click();
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
  await expect(page.getByRole("link", { name: "Users" })).toHaveCount(0);
  await signOut(page);
  expect((await page.request.get("/api/users/me")).status()).toBe(401);

  // The IdP still has a session: signing in again goes straight through to the same account.
  await page.getByRole("button", { name: "Sign in with OIDC" }).click();
  await expect(page).toHaveURL(/localhost:\d+\/chat$/);
  expect((await (await page.request.get("/api/users/me")).json()).id).toBe(first.id);
});
