import { expect, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { ChatPage } from "./pages/chat-page";
import { IdpLoginPage, LoginPage } from "./pages/login-page";
import { McpServerEditorPage } from "./pages/mcp-servers-page";
import { OauthPopup } from "./pages/oauth-popup";
import { SettingsPage } from "./pages/settings-page";
import { apiPost, scriptModel } from "./support/api";
import { createFakeModel } from "./support/chat";
import { ADMIN_STATE, MCP_OAUTH_URL, MCP_TEST_URL } from "./support/constants";
import { localOnly, needsFixtures } from "./support/deployment";
import { unique } from "./support/names";
import { visit } from "./support/hydration";

// The IdP fixture on IDP_PORT is both the sign-in provider and the authorization server of the
// MCP test server on MCP_OAUTH_PORT, which accepts only its JWT access tokens for its own URL.

test.use({ storageState: ADMIN_STATE });

/** Alice signs in through the IdP: a member whose browser now has a session there too. */
const ALICE = { username: "alice@example.com", password: "alice-password" };

async function signInWithOidc(page: Page) {
  const login = new LoginPage(page);
  await login.goto();
  await login.oidcButton.click();
  await expect(page).toHaveURL(/127\.0\.0\.1:\d+\/interaction\//);
  await new IdpLoginPage(page).submit(ALICE.username, ALICE.password);
  await expect(page).toHaveURL(/localhost:\d+\/chat$/);
}

/** An enabled OAuth2 server by URL alone: discovery and registration run during the POST. */
async function createOauthServer(request: APIRequestContext, name: string, slug: string) {
  return apiPost<Record<string, unknown>>(request, "/api/mcp/servers", {
    display_name: name,
    slug,
    url: MCP_OAUTH_URL,
    transport: "streamable_http",
    auth_type: "oauth2",
    availability: "default_off",
    enabled: true,
  });
}

/** Alice in a browser of her own, signed in through the IdP. */
async function alicePage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await signInWithOidc(page);
  return page;
}

test("a member connects an OAuth2 MCP server in a popup, uses its tool, and disconnects", async ({
  page: adminPage,
  browser,
}) => {
  // Alice signs in through the IdP fixture: only the local app has it as its OIDC provider.
  localOnly("oidc");
  test.setTimeout(120_000);
  const slug = unique("oauth");
  const key = `${slug}-key`;
  const serverName = `E2E OAuth ${slug}`;

  // By URL alone: the server discovers the IdP (RFC 9728 → OpenID configuration) and
  // registers itself there (RFC 7591) while the request runs.
  const created = await createOauthServer(adminPage.request, serverName, slug);
  expect(created).toMatchObject({
    auth_type: "oauth2",
    auth_connected: false,
    oauth2_client_id: expect.any(String),
    oauth2_auth_url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/auth$/),
  });
  const model = await createFakeModel(adminPage.request);
  await scriptModel(key, [
    { toolCalls: [{ name: `${slug}__whoami`, arguments: {} }] },
    { text: `Asked the server who I am. Done ${key}.` },
  ]);

  const page = await alicePage(browser);

  // Settings → Connections: not connected yet.
  const settings = new SettingsPage(page);
  await settings.goto();
  const row = settings.connection(serverName);
  await expect(row).toContainText("Not connected");
  const connect = row.getByRole("button", { name: `Connect ${serverName}` });

  const popupOpened = page.waitForEvent("popup");
  await connect.click();
  // The IdP knows Alice from the sign-in; if it still asks, she signs in in the popup.
  await new OauthPopup(await popupOpened).finish(ALICE);

  await expect(row.getByText("Connected", { exact: true })).toBeVisible();
  await expect(row.getByRole("button", { name: `Disconnect ${serverName}` })).toBeVisible();
  await expect(page.getByText(`Connected to ${serverName}`)).toBeVisible();
  await settings.expectAccessible();

  // A chat turn whose tool call reaches the protected server with Alice's token.
  const chat = new ChatPage(page);
  await chat.gotoNew();
  await chat.chooseModel(model);
  const picker = await chat.openServerPicker();
  const item = chat.serverItem(serverName);
  // Connected: no Connect button for it in the picker.
  await expect(picker.getByRole("menuitem", { name: `Connect ${serverName}` })).toHaveCount(0);
  await item.click();
  await expect(item).toHaveAttribute("aria-checked", "true");
  await chat.closeMenu();

  await chat.send(`Who am I? ${key}`);
  const conversation = chat.conversation;
  await chat.expectAnswer(`Done ${key}.`);
  await chat.toolCallDetails("Whoami").click();
  // whoami answers the request's headers: a bearer token reached the server, and the echo of
  // it was redacted before it was stored or shown (the token never reaches the page).
  await expect(
    conversation
      .getByText(/authorization\\?":\s*\\?"\[redacted: credential sent to this server\]/)
      .first(),
  ).toBeVisible();
  await expect(conversation.getByText(/Bearer ey/)).toHaveCount(0);

  // Disconnect on the settings page, confirmed; the server asks to be connected again.
  await settings.goto();
  await row.getByRole("button", { name: `Disconnect ${serverName}` }).click();
  const confirm = page.getByRole("alertdialog", { name: `Disconnect “${serverName}”?` });
  await confirm.getByRole("button", { name: "Disconnect" }).click();
  await expect(confirm).toBeHidden();
  await expect(row.getByRole("button", { name: `Connect ${serverName}` })).toBeVisible();
  await expect(row).toContainText("Not connected");
  await expect(page.getByText(`Disconnected from ${serverName}`)).toBeVisible();

  // The chat's picker now offers to connect it, and connects from there too.
  await visit(page, "/chat");
  const menu = await chat.openServerPicker();
  const connectItem = menu.getByRole("menuitem", { name: `Connect ${serverName}` });
  const again = page.waitForEvent("popup");
  await connectItem.click();
  await new OauthPopup(await again).finish(ALICE);
  // The menu stayed open and updated in place.
  await expect(connectItem).toHaveCount(0);
  await expect(menu.getByRole("menuitemcheckbox", { name: new RegExp(serverName) })).toBeVisible();
  await page.context().close();
});

test("a blocked popup offers a link that connects in a new tab", async ({
  page: adminPage,
  browser,
}) => {
  // Alice signs in through the IdP fixture: only the local app has it as its OIDC provider.
  localOnly("oidc");
  const slug = unique("oauth-tab");
  const serverName = `E2E OAuth tab ${slug}`;
  await createOauthServer(adminPage.request, serverName, slug);
  const page = await alicePage(browser);
  // What a popup blocker does: window.open answers null.
  await page.addInitScript(() => {
    window.open = () => null;
  });
  const settings = new SettingsPage(page);
  await settings.goto();
  const row = settings.connection(serverName);
  await row.getByRole("button", { name: `Connect ${serverName}` }).click();
  await expect(row.getByRole("alert")).toContainText("The sign-in window was blocked");
  // Never a same-tab navigation: the callback page reports to its opener.
  await expect(page).toHaveURL(/\/settings$/);

  const tabOpened = page.context().waitForEvent("page");
  await row.getByRole("link", { name: `Open the sign-in for ${serverName} in a new tab` }).click();
  // The callback page closes itself only when it has an opener to report to.
  await new OauthPopup(await tabOpened).finish(ALICE);
  await expect(row.getByText("Connected", { exact: true })).toBeVisible();
  await expect(row.getByRole("alert")).toHaveCount(0);
  await page.context().close();
});

test("a popup whose message never arrives is noticed when it closes", async ({
  page: adminPage,
  browser,
}) => {
  // Alice signs in through the IdP fixture: only the local app has it as its OIDC provider.
  localOnly("oidc");
  const slug = unique("oauth-coop");
  const serverName = `E2E OAuth coop ${slug}`;
  await createOauthServer(adminPage.request, serverName, slug);
  const page = await alicePage(browser);
  // As when an authorization server sending COOP cuts window.opener: the page never hears
  // from the callback page, so only the popup closing can tell it to look again.
  await page.addInitScript(() => {
    window.addEventListener("message", (event) => event.stopImmediatePropagation(), true);
  });
  const settings = new SettingsPage(page);
  await settings.goto();
  const row = settings.connection(serverName);
  const popupOpened = page.waitForEvent("popup");
  await row.getByRole("button", { name: `Connect ${serverName}` }).click();
  await new OauthPopup(await popupOpened).finish(ALICE);
  await expect(row.getByText("Connected", { exact: true })).toBeVisible();
  await expect(page.getByText(`Connected to ${serverName}`)).toBeVisible();
  await page.context().close();
});

test("the admin sees progress while OAuth2 is discovered, and the precise failure", async ({
  page,
}) => {
  needsFixtures();
  const editor = new McpServerEditorPage(page);
  await editor.gotoNew();
  await editor.displayName.fill(unique("oauth-form"));
  // The plain MCP test server: no protected resource metadata, no authorization server.
  await editor.url.fill(MCP_TEST_URL);
  await editor.chooseAuthType("OAuth2");
  // Held for a moment, so the progress is observable whatever the discovery's speed.
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/api/mcp/servers", async (route) => {
    if (route.request().method() === "POST") await held;
    await route.continue();
  });
  await editor.create();
  await expect(
    page.getByRole("status").filter({ hasText: "Discovering the authorization server" }),
  ).toContainText("Discovering the authorization server and registering toolgate…");
  release();
  const alert = page.getByRole("alert").filter({ hasText: "Could not save" });
  await expect(alert).toContainText("Automatic OAuth2 setup failed.");
  await expect(alert).toContainText(new URL(MCP_TEST_URL).host);
  await expect(page.getByText("Discovering the authorization server")).toHaveCount(0);
  await expect(page).toHaveURL(/\/admin\/mcp-servers\/new$/);
});
