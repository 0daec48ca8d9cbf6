import { expect, test } from "@playwright/test";
import { AppShell } from "./pages/app-shell";
import { SetupPage } from "./pages/setup-page";
import { ADMIN, ADMIN_STATE } from "./support/constants";
import { expectAccessible } from "./support/a11y";
import { localOnly } from "./support/deployment";

test("first visit sets up the first admin, then setup is closed", async ({ page, request }) => {
  localOnly("setup");
  const setup = new SetupPage(page);
  await page.goto("/");
  await expect(page).toHaveURL(/\/setup$/);
  await setup.expectAccessible();

  // The form checks input with the route's own schema before sending anything.
  await setup.fill({ name: ADMIN.name, email: "not-an-email", password: "short" });
  await setup.submit();
  await expect(page.getByText("Email must be a valid email address")).toBeVisible();
  await expect(page.getByText("Password must be at least 8 characters")).toBeVisible();
  await setup.expectAccessible();

  await setup.fill({ email: ADMIN.email, password: ADMIN.password });
  await setup.submit();

  // The API token setup creates is shown once, with what it is for, before going on.
  await expect(setup.tokenCard).toBeVisible();
  await expectAccessible(page, "The setup token card");
  const token = await setup.tokenField.inputValue();
  expect(token).toMatch(/^tg_/);
  await expect(page.getByRole("button", { name: "Copy setup API token" })).toBeVisible();
  const me = await request.get("/api/users/me", { headers: { authorization: `Bearer ${token}` } });
  expect(me.status()).toBe(200);
  expect((await me.json()).role).toBe("admin");
  await setup.continue();
  await expect(page).toHaveURL(/\/chat$/);
  await expect(page.getByRole("heading", { name: "Chat", level: 1 })).toBeVisible();
  await expect(new AppShell(page).navLink("Users")).toBeVisible();
  await page.context().storageState({ path: ADMIN_STATE });

  const again = await request.post("/api/setup", {
    data: { email: "late@example.com", name: "Late", password: "late-password" },
  });
  expect(again.status()).toBe(409);
  expect((await again.json()).code).toBe("setup.already_done");

  await page.goto("/setup");
  await expect(page).toHaveURL(/\/(login|chat)$/);
});
