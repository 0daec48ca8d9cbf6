import { expect, test } from "@playwright/test";
import { signIn, signOut } from "./support/auth";
import { ADMIN_STATE } from "./support/constants";

const MEMBER = {
  name: "Mia Member",
  email: `mia-${Date.now()}@example.com`,
  password: "member-password",
};

test.describe.configure({ mode: "serial" });

test.describe("as admin", () => {
  test.use({ storageState: ADMIN_STATE });

  test("creates a member from the users page", async ({ page }) => {
    await page.goto("/admin/users");
    await expect(page.getByRole("heading", { name: "Users", level: 1 })).toBeVisible();
    await page.getByRole("button", { name: "Add user" }).click();
    const dialog = page.getByRole("dialog", { name: "Add user" });
    await dialog.getByLabel("Name").fill(MEMBER.name);
    await dialog.getByLabel("Email").fill(MEMBER.email);
    await dialog.getByLabel("Password").fill("short");
    await dialog.getByRole("button", { name: "Create user" }).click();
    await expect(dialog.getByText("Password must be at least 8 characters")).toBeVisible();
    await dialog.getByLabel("Password").fill(MEMBER.password);
    await dialog.getByRole("button", { name: "Create user" }).click();
    await expect(dialog).toBeHidden();
    const row = page.getByRole("row").filter({ hasText: MEMBER.email });
    await expect(row).toBeVisible();
    await expect(row.getByRole("combobox", { name: `Role of ${MEMBER.email}` })).toHaveText(
      "member",
    );

    // The same email again is refused with the server's message, and the dialog stays open.
    await page.getByRole("button", { name: "Add user" }).click();
    await dialog.getByLabel("Name").fill("Dup");
    await dialog.getByLabel("Email").fill(MEMBER.email);
    await dialog.getByLabel("Password").fill(MEMBER.password);
    await dialog.getByRole("button", { name: "Create user" }).click();
    await expect(dialog.getByText("Email is already in use")).toBeVisible();
    await dialog.getByRole("button", { name: "Close" }).click();
  });
});

test.describe("as the new member", () => {
  test("is blocked from admin pages and admin API routes", async ({ page }) => {
    await signIn(page, MEMBER.email, MEMBER.password);
    await expect(page.getByRole("link", { name: "Users" })).toHaveCount(0);
    await page.goto("/admin/users");
    await expect(page.getByRole("heading", { name: "Admins only" })).toBeVisible();
    await expect(page.getByRole("table", { name: "Users" })).toHaveCount(0);
    const api = await page.request.get("/api/users");
    expect(api.status()).toBe(403);
    expect((await api.json()).code).toBe("auth.forbidden");
    await signOut(page);
  });
});

test.describe("role and status changes", () => {
  test("apply to the member's very next request", async ({ browser }) => {
    const admin = await browser.newContext({ storageState: ADMIN_STATE });
    const member = await browser.newContext();
    const adminPage = await admin.newPage();
    const memberPage = await member.newPage();
    await signIn(memberPage, MEMBER.email, MEMBER.password);

    await adminPage.goto("/admin/users");
    const row = adminPage.getByRole("row").filter({ hasText: MEMBER.email });
    await row.getByRole("combobox", { name: `Role of ${MEMBER.email}` }).click();
    await adminPage.getByRole("option", { name: "admin" }).click();
    await expect(adminPage.getByText(`${MEMBER.name} is now admin`)).toBeVisible();
    // A role change ends the user's sessions at once; signed in again, the new role applies.
    expect((await memberPage.request.get("/api/users/me")).status()).toBe(401);
    await signIn(memberPage, MEMBER.email, MEMBER.password);
    expect((await memberPage.request.get("/api/users")).status()).toBe(200);

    await row.getByRole("combobox", { name: `Role of ${MEMBER.email}` }).click();
    await adminPage.getByRole("option", { name: "member" }).click();
    await expect(adminPage.getByText(`${MEMBER.name} is now member`)).toBeVisible();
    expect((await memberPage.request.get("/api/users")).status()).toBe(401);
    await signIn(memberPage, MEMBER.email, MEMBER.password);
    expect((await memberPage.request.get("/api/users")).status()).toBe(403);

    await row.getByRole("button", { name: `Disable ${MEMBER.email}` }).click();
    await adminPage.getByRole("alertdialog").getByRole("button", { name: "Disable user" }).click();
    await expect(row.getByText("Disabled")).toBeVisible();
    expect((await memberPage.request.get("/api/users/me")).status()).toBe(401);
    await memberPage.goto("/chat");
    await expect(memberPage).toHaveURL(/\/login/);

    await row.getByRole("button", { name: `Enable ${MEMBER.email}` }).click();
    await expect(row.getByText("Active")).toBeVisible();
    await admin.close();
    await member.close();
  });
});
