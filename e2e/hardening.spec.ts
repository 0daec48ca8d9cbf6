import net from "node:net";
import os from "node:os";
import { expect, test, type Page } from "@playwright/test";
import { AppShell } from "./pages/app-shell";
import { LoginPage } from "./pages/login-page";
import { SettingsPage } from "./pages/settings-page";
import { UsersPage } from "./pages/users-page";
import { apiPost } from "./support/api";
import { ADMIN, ADMIN_STATE, APP_PORT, APP_URL } from "./support/constants";
import { localOnly } from "./support/deployment";
import { uniqueEmail } from "./support/names";

/** Opens `path` (a /login URL), signs in and leaves it to the caller to say where that leads. */
async function signInFrom(page: Page, path: string, email: string, password: string) {
  const login = new LoginPage(page);
  await page.goto(path);
  await login.submit(email, password);
}

test.describe("sign-in redirects stay on APP_URL", () => {
  for (const evil of ["/%5C127.0.0.1:4640/x", "/%09/127.0.0.1:4640/x", "//127.0.0.1:4640/x"]) {
    test(`callbackUrl=${evil}`, async ({ page }) => {
      await signInFrom(page, `/login?callbackUrl=${evil}`, ADMIN.email, ADMIN.password);
      await expect(page).toHaveURL(/\/chat$/);
      expect(new URL(page.url()).origin).toBe(APP_URL);
    });
  }

  test("a callbackUrl on this site is honoured", async ({ page }) => {
    await signInFrom(page, "/login?callbackUrl=/settings", ADMIN.email, ADMIN.password);
    await expect(page).toHaveURL(`${APP_URL}/settings`);
  });
});

test("signing out ends the session on the server: a copied cookie is refused", async ({
  browser,
}) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInFrom(page, "/login", ADMIN.email, ADMIN.password);
  await expect(page).toHaveURL(/\/chat$/);
  const copied = await context.cookies();
  expect((await page.request.get("/api/users/me")).status()).toBe(200);
  await new AppShell(page).signOut();
  await expect(page).toHaveURL(`${APP_URL}/login`);

  const thief = await browser.newContext();
  await thief.addCookies(copied);
  expect((await thief.request.get("/api/users/me")).status()).toBe(401);
  await thief.close();
  await context.close();
});

test.describe("passwords", () => {
  test.use({ storageState: ADMIN_STATE });

  test("an admin resets a member's password; the member changes it in Settings", async ({
    page,
    browser,
  }) => {
    const pat = { email: uniqueEmail("pw"), name: "Pat Password" };
    const email = pat.email;
    await apiPost(page.request, "/api/users", {
      ...pat,
      password: "first-password",
      role: "member",
    });
    const member = await browser.newContext({ storageState: undefined });
    const memberPage = await member.newPage();
    await signInFrom(memberPage, "/login", email, "first-password");
    await expect(memberPage).toHaveURL(/\/chat$/);

    const users = new UsersPage(page);
    await users.goto();
    await users.resetPassword(pat, "second-password");

    // The reset signed the member out everywhere.
    expect((await memberPage.request.get("/api/users/me")).status()).toBe(401);
    await signInFrom(memberPage, "/login", email, "second-password");
    await expect(memberPage).toHaveURL(/\/chat$/);

    const settings = new SettingsPage(memberPage);
    await settings.goto();
    await settings.changePassword("wrong-password", "third-password");
    await expect(memberPage.getByText("Current password is incorrect")).toBeVisible();
    await settings.expectAccessible();
    await settings.changePassword("second-password", "third-password");
    await expect(memberPage.getByText(/Password changed/)).toBeVisible();
    // This browser stays signed in.
    expect((await memberPage.request.get("/api/users/me")).status()).toBe(200);
    await member.close();
  });
});

test.describe("Content-Security-Policy", () => {
  test.use({ storageState: ADMIN_STATE });

  test("every page has a nonce-based policy and nothing the app runs is blocked", async ({
    page,
  }) => {
    const violations: string[] = [];
    page.on("console", (msg) => {
      if (/Content Security Policy|Refused to (execute|load|apply)/i.test(msg.text())) {
        violations.push(msg.text());
      }
    });
    const nonces = new Set<string>();
    for (const path of ["/chat", "/settings", "/admin/mcp-servers", "/admin/users"]) {
      const res = await page.goto(path);
      const csp = res!.headers()["content-security-policy"] ?? "";
      const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
      expect(nonce, `${path}: ${csp}`).toBeTruthy();
      expect(csp).toContain("'strict-dynamic'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain("unsafe-eval");
      nonces.add(nonce!);
      await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
      // Hydrated: a client-side control responds.
      await new AppShell(page).openUserMenu();
      await page.keyboard.press("Escape");
    }
    expect(nonces.size).toBe(4);
    expect(violations).toEqual([]);
  });

  test("the OAuth callback keeps its own no-referrer and CSP", async ({ request }) => {
    const res = await request.get(
      "/api/mcp/servers/00000000-0000-4000-8000-000000000000/oauth2/callback?state=x&code=y",
    );
    const headers = res.headers();
    expect(headers["referrer-policy"]).toBe("no-referrer");
    expect(headers["content-security-policy"]).toMatch(/^default-src 'none'/);
  });
});

test("npm start listens on HOSTNAME only (loopback here), not on every interface", async () => {
  localOnly("listen");
  const external = Object.values(os.networkInterfaces())
    .flat()
    .find((a) => a && a.family === "IPv4" && !a.internal)?.address;
  test.skip(!external, "no non-loopback IPv4 interface on this machine");
  const outcome = await new Promise<string>((resolve) => {
    const socket = net.connect({ host: external!, port: APP_PORT });
    socket.once("connect", () => {
      socket.destroy();
      resolve("connected");
    });
    socket.once("error", (err: NodeJS.ErrnoException) => resolve(err.code ?? "error"));
  });
  expect(outcome).toBe("ECONNREFUSED");
});
