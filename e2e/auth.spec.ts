import { expect, test } from "@playwright/test";
import { signIn, signOut } from "./support/auth";
import { ADMIN } from "./support/constants";

test("signs in with email and password and signs out", async ({ page }) => {
  await page.goto("/settings");
  await expect(page).toHaveURL(/\/login/);
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.goto("/settings");
  await expect(page.getByText(ADMIN.email).first()).toBeVisible();
  await signOut(page);
  await page.goto("/chat");
  await expect(page).toHaveURL(/\/login/);
});

test("a wrong password gets one clear message that reveals nothing", async ({ page }) => {
  const responses: string[] = [];
  page.on("response", async (res) => {
    if (res.url().includes("/api/auth/")) responses.push(await res.text().catch(() => ""));
  });
  await page.goto("/login");
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill("wrong-password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  const alert = page.getByRole("alert").filter({ hasText: "Invalid email or password." });
  await expect(alert).toBeVisible();
  await expect(page).toHaveURL(/\/login/);

  // An unknown email must look exactly the same.
  await page.getByLabel("Email").fill("nobody@example.com");
  await page.getByLabel("Password").fill("wrong-password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(alert).toBeVisible();
  await expect(page.getByText(/no such user|not found|hash|argon/i)).toHaveCount(0);
  expect(responses.join("\n")).not.toMatch(/argon2|password_hash|stack/i);

  const me = await page.request.get("/api/users/me");
  expect(me.status()).toBe(401);
});
