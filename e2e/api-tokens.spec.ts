import { expect, test } from "@playwright/test";
import { SettingsPage } from "./pages/settings-page";
import { ADMIN, ADMIN_STATE } from "./support/constants";
import { unique } from "./support/names";

test.use({ storageState: ADMIN_STATE });

test("creates an API token, uses it as a Bearer token, and revokes it", async ({
  page,
  playwright,
}) => {
  const settings = new SettingsPage(page);
  await settings.goto();
  await expect(settings.tokensHeading).toBeVisible();
  const name = unique("token");

  const value = await settings.createToken(name);
  expect(value).toMatch(/^tg_/);

  const row = settings.tokenRow(name);
  await expect(row).toBeVisible();
  // The list never shows the value again, only its prefix.
  await expect(page.getByText(value)).toHaveCount(0);

  // A fresh client with no cookies: only the token authenticates it.
  const api = await playwright.request.newContext({ baseURL: page.url() });
  const me = await api.get("/api/users/me", { headers: { Authorization: `Bearer ${value}` } });
  expect(me.status()).toBe(200);
  expect((await me.json()).email).toBe(ADMIN.email);

  await settings.revokeToken(name);
  await expect(row).toHaveCount(0);

  const after = await api.get("/api/users/me", { headers: { Authorization: `Bearer ${value}` } });
  expect(after.status()).toBe(401);
  expect((await after.json()).code).toBe("auth.invalid_token");
  await api.dispose();
});
