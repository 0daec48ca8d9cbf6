import { expect, test } from "@playwright/test";
import { ADMIN, ADMIN_STATE } from "./support/constants";

test("first visit sets up the first admin, then setup is closed", async ({ page, request }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/setup$/);
  await expect(page.getByRole("heading", { name: "Create the first admin" })).toBeVisible();

  // The form checks input with the route's own schema before sending anything.
  await page.getByLabel("Name").fill(ADMIN.name);
  await page.getByLabel("Email").fill("not-an-email");
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create admin" }).click();
  await expect(page.getByText("Email must be a valid email address")).toBeVisible();
  await expect(page.getByText("Password must be at least 8 characters")).toBeVisible();

  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Create admin" }).click();

  // The API token setup creates is shown once, with what it is for, before going on.
  await expect(page.getByRole("heading", { name: "Your admin account is ready" })).toBeVisible();
  const token = await page.getByRole("textbox", { name: "Setup API token" }).inputValue();
  expect(token).toMatch(/^tg_/);
  await expect(page.getByRole("button", { name: "Copy setup API token" })).toBeVisible();
  const me = await request.get("/api/users/me", { headers: { authorization: `Bearer ${token}` } });
  expect(me.status()).toBe(200);
  expect((await me.json()).role).toBe("admin");
  await page.getByRole("button", { name: "Continue to toolgate" }).click();
  await expect(page).toHaveURL(/\/chat$/);
  await expect(page.getByRole("heading", { name: "Chat", level: 1 })).toBeVisible();
  await expect(page.getByRole("link", { name: "Users" })).toBeVisible();
  await page.context().storageState({ path: ADMIN_STATE });

  const again = await request.post("/api/setup", {
    data: { email: "late@example.com", name: "Late", password: "late-password" },
  });
  expect(again.status()).toBe(409);
  expect((await again.json()).code).toBe("setup.already_done");

  await page.goto("/setup");
  await expect(page).toHaveURL(/\/(login|chat)$/);
});
