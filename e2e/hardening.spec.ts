import net from "node:net";
import os from "node:os";
import { expect, test, type Page } from "@playwright/test";
import { apiPost } from "./support/api";
import { signOut } from "./support/auth";
import { ADMIN, ADMIN_STATE, APP_PORT, APP_URL } from "./support/constants";

async function signInFrom(page: Page, path: string, email: string, password: string) {
  await page.goto(path);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
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
  await signOut(page);
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
    const email = `pw-${Date.now()}@example.com`;
    await apiPost(page.request, "/api/users", {
      email,
      name: "Pat Password",
      password: "first-password",
      role: "member",
    });
    const member = await browser.newContext({ storageState: undefined });
    const memberPage = await member.newPage();
    await signInFrom(memberPage, "/login", email, "first-password");
    await expect(memberPage).toHaveURL(/\/chat$/);

    await page.goto("/admin/users");
    await page.getByRole("button", { name: `Reset password of ${email}` }).click();
    const dialog = page.getByRole("dialog", { name: "Reset password of Pat Password" });
    await dialog.getByLabel("New password").fill("second-password");
    await dialog.getByRole("button", { name: "Set password" }).click();
    await expect(dialog).toBeHidden();

    // The reset signed the member out everywhere.
    expect((await memberPage.request.get("/api/users/me")).status()).toBe(401);
    await signInFrom(memberPage, "/login", email, "second-password");
    await expect(memberPage).toHaveURL(/\/chat$/);

    await memberPage.goto("/settings");
    await memberPage.getByLabel("Current password").fill("wrong-password");
    await memberPage.getByLabel("New password", { exact: true }).fill("third-password");
    await memberPage.getByLabel("Repeat the new password").fill("third-password");
    await memberPage.getByRole("button", { name: "Change password" }).click();
    await expect(memberPage.getByText("Current password is incorrect")).toBeVisible();
    await memberPage.getByLabel("Current password").fill("second-password");
    await memberPage.getByRole("button", { name: "Change password" }).click();
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
      await page.getByRole("button", { name: "User menu" }).first().click();
      await expect(page.getByRole("menuitem", { name: "Sign out" })).toBeVisible();
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
