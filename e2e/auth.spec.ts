import { expect, test } from "@playwright/test";
import { AppShell } from "./pages/app-shell";
import { LoginPage } from "./pages/login-page";
import { SettingsPage } from "./pages/settings-page";
import { ADMIN } from "./support/constants";

test("signs in with email and password and signs out", async ({ page }) => {
  const settings = new SettingsPage(page);
  await settings.goto();
  await expect(page).toHaveURL(/\/login/);
  await new LoginPage(page).signIn(ADMIN.email, ADMIN.password);
  await settings.goto();
  await expect(page.getByText(ADMIN.email).first()).toBeVisible();
  await new AppShell(page).signOut();
  await page.goto("/chat");
  await expect(page).toHaveURL(/\/login/);
});

test("a wrong password gets one clear message that reveals nothing", async ({ page }) => {
  const responses: string[] = [];
  page.on("response", async (res) => {
    if (res.url().includes("/api/auth/")) responses.push(await res.text().catch(() => ""));
  });
  const login = new LoginPage(page);
  await login.goto();
  await login.submit(ADMIN.email, "wrong-password");
  await expect(login.invalidCredentials).toBeVisible();
  await expect(page).toHaveURL(/\/login/);

  // An unknown email must look exactly the same.
  await login.submit("nobody@example.com", "wrong-password");
  await expect(login.invalidCredentials).toBeVisible();
  await expect(page.getByText(/no such user|not found|hash|argon/i)).toHaveCount(0);
  expect(responses.join("\n")).not.toMatch(/argon2|password_hash|stack/i);

  const me = await page.request.get("/api/users/me");
  expect(me.status()).toBe(401);
});
