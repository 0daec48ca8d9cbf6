import { expect, test } from "@playwright/test";
import { ADMIN, ADMIN_STATE } from "./support/constants";

test.use({ storageState: ADMIN_STATE });

test("creates an API token, uses it as a Bearer token, and revokes it", async ({
  page,
  playwright,
}) => {
  await page.goto("/settings");
  await expect(page.getByRole("heading", { name: "API tokens" })).toBeVisible();
  const name = `ci-${Date.now()}`;

  await page.getByRole("button", { name: "New token" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Token name").fill(name);
  await dialog.getByRole("button", { name: "Create token" }).click();
  const value = await dialog.getByLabel("New API token").inputValue();
  expect(value).toMatch(/^tg_/);
  await dialog.getByRole("button", { name: "Done" }).click();

  const row = page.getByRole("row").filter({ hasText: name });
  await expect(row).toBeVisible();
  // The list never shows the value again, only its prefix.
  await expect(page.getByText(value)).toHaveCount(0);

  // A fresh client with no cookies: only the token authenticates it.
  const api = await playwright.request.newContext({ baseURL: page.url() });
  const me = await api.get("/api/users/me", { headers: { Authorization: `Bearer ${value}` } });
  expect(me.status()).toBe(200);
  expect((await me.json()).email).toBe(ADMIN.email);

  await row.getByRole("button", { name: `Revoke token ${name}` }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Revoke token" }).click();
  // While the dialog is open the page behind it is aria-hidden, so wait for the outcome itself.
  await expect(page.getByText(`Token “${name}” revoked`)).toBeVisible();
  await expect(page.getByRole("alertdialog")).toBeHidden();
  await expect(row).toHaveCount(0);

  const after = await api.get("/api/users/me", { headers: { Authorization: `Bearer ${value}` } });
  expect(after.status()).toBe(401);
  expect((await after.json()).code).toBe("auth.invalid_token");
  await api.dispose();
});
