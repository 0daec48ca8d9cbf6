import { expect, test } from "@playwright/test";
import { AppShell } from "./pages/app-shell";
import { LoginPage } from "./pages/login-page";
import { UsersPage } from "./pages/users-page";
import { ADMIN_STATE } from "./support/constants";
import { uniqueEmail } from "./support/names";

const MEMBER = { name: "Mia Member", email: uniqueEmail("mia"), password: "member-password" };

test.describe.configure({ mode: "serial" });

test.describe("as admin", () => {
  test.use({ storageState: ADMIN_STATE });

  test("creates a member from the users page", async ({ page }) => {
    const users = new UsersPage(page);
    await users.goto();
    await users.expectLoaded();
    const dialog = await users.submitNewUser({ ...MEMBER, password: "short" });
    await expect(dialog.getByText("Password must be at least 8 characters")).toBeVisible();
    await users.submitNewUser(MEMBER);
    await expect(dialog).toBeHidden();
    // The confirmation. Toasts load with the first one, so it may arrive a moment after the
    // dialog closed; waiting for it keeps it from appearing mid-check of the next dialog.
    await expect(page.getByText(`Created ${MEMBER.email}`)).toBeVisible();
    await expect(users.row(MEMBER.email)).toBeVisible();
    await expect(users.roleSelect(MEMBER.email)).toHaveText("member");

    // The same email again is refused with the server's message, and the dialog stays open.
    await users.submitNewUser({ ...MEMBER, name: "Dup" });
    await expect(dialog.getByText("Email is already in use")).toBeVisible();
    await users.expectAccessible("The Add user dialog with an error");
    await dialog.getByRole("button", { name: "Close" }).click();
    await expect(dialog).toBeHidden();
  });
});

test.describe("as the new member", () => {
  test("is blocked from admin pages and admin API routes", async ({ page }) => {
    const shell = new AppShell(page);
    const users = new UsersPage(page);
    await new LoginPage(page).signIn(MEMBER.email, MEMBER.password);
    await expect(shell.navLink("Users")).toHaveCount(0);
    await users.goto();
    await expect(shell.adminsOnly).toBeVisible();
    await expect(users.table).toHaveCount(0);
    const api = await page.request.get("/api/users");
    expect(api.status()).toBe(403);
    expect((await api.json()).code).toBe("auth.forbidden");
    await shell.signOut();
  });
});

test.describe("role and status changes", () => {
  test("apply to the member's very next request", async ({ browser }) => {
    const admin = await browser.newContext({ storageState: ADMIN_STATE });
    const member = await browser.newContext();
    const users = new UsersPage(await admin.newPage());
    const memberPage = await member.newPage();
    const memberLogin = new LoginPage(memberPage);
    await memberLogin.signIn(MEMBER.email, MEMBER.password);

    await users.goto();
    await users.setRole(MEMBER, "admin");
    // A role change ends the user's sessions at once; signed in again, the new role applies.
    expect((await memberPage.request.get("/api/users/me")).status()).toBe(401);
    await memberLogin.signIn(MEMBER.email, MEMBER.password);
    expect((await memberPage.request.get("/api/users")).status()).toBe(200);

    await users.setRole(MEMBER, "member");
    expect((await memberPage.request.get("/api/users")).status()).toBe(401);
    await memberLogin.signIn(MEMBER.email, MEMBER.password);
    expect((await memberPage.request.get("/api/users")).status()).toBe(403);

    await users.disable(MEMBER.email);
    expect((await memberPage.request.get("/api/users/me")).status()).toBe(401);
    await memberPage.goto("/chat");
    await expect(memberPage).toHaveURL(/\/login/);

    await users.enable(MEMBER.email);
    await admin.close();
    await member.close();
  });
});
