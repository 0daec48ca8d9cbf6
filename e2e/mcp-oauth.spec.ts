import { expect, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { apiPost, scriptModel } from "./support/api";
import { ADMIN_STATE, FAKE_MODEL_URL, MCP_OAUTH_URL, MCP_TEST_URL } from "./support/constants";

// The IdP fixture on IDP_PORT is both the sign-in provider and the authorization server of the
// MCP test server on MCP_OAUTH_PORT, which accepts only its JWT access tokens for its own URL.

test.use({ storageState: ADMIN_STATE });

/** Alice signs in through the IdP: a member whose browser now has a session there too. */
async function signInWithOidc(page: Page) {
  await page.goto("/login");
  await page.getByRole("button", { name: "Sign in with OIDC" }).click();
  await expect(page).toHaveURL(/127\.0\.0\.1:\d+\/interaction\//);
  await page.getByLabel("Email or username").fill("alice@example.com");
  await page.getByLabel("Password").fill("alice-password");
  await page.getByRole("button", { name: "Sign in" }).click();
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
  test.setTimeout(120_000);
  const stamp = `${Date.now()}`;
  const key = `oauth-key-${stamp}`;
  const slug = `e2e-oauth-${stamp.slice(-8)}`;
  const serverName = `E2E OAuth ${stamp}`;
  const model = `fake-model-oauth-${stamp}`;

  // By URL alone: the server discovers the IdP (RFC 9728 → OpenID configuration) and
  // registers itself there (RFC 7591) while the request runs.
  const created = await createOauthServer(adminPage.request, serverName, slug);
  expect(created).toMatchObject({
    auth_type: "oauth2",
    auth_connected: false,
    oauth2_client_id: expect.any(String),
    oauth2_auth_url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/auth$/),
  });
  await apiPost(adminPage.request, "/api/model-providers", {
    kind: "openai-compatible",
    display_name: `E2E fake ${stamp}`,
    base_url: FAKE_MODEL_URL,
    models: [model],
    default_model: model,
  });
  await scriptModel(key, [
    { toolCalls: [{ name: `${slug}__whoami`, arguments: {} }] },
    { text: `Asked the server who I am. Done ${key}.` },
  ]);

  const page = await alicePage(browser);

  // Settings → Connections: not connected yet.
  await page.goto("/settings");
  const card = page.getByRole("region", { name: "Connections" });
  const row = card.getByRole("listitem", { name: serverName });
  await expect(row).toContainText("Not connected");
  const connect = row.getByRole("button", { name: `Connect ${serverName}` });

  const popupOpened = page.waitForEvent("popup");
  await connect.click();
  const popup = await popupOpened;
  const popupClosed = popup.waitForEvent("close");
  // The IdP knows Alice from the sign-in; if it still asks, she signs in in the popup.
  const login = popup.getByLabel("Email or username");
  await Promise.race([popupClosed, login.waitFor({ timeout: 30_000 })]);
  if (!popup.isClosed()) {
    await login.fill("alice@example.com");
    await popup.getByLabel("Password").fill("alice-password");
    await popup.getByRole("button", { name: "Sign in" }).click();
  }
  await popupClosed;

  await expect(row.getByText("Connected", { exact: true })).toBeVisible();
  await expect(row.getByRole("button", { name: `Disconnect ${serverName}` })).toBeVisible();
  await expect(page.getByText(`Connected to ${serverName}`)).toBeVisible();

  // A chat turn whose tool call reaches the protected server with Alice's token.
  await page.goto("/chat");
  await expect(page.getByRole("heading", { name: "New chat", level: 1 })).toBeVisible();
  await page.getByRole("combobox", { name: "Model" }).click();
  await page.getByRole("option", { name: model, exact: true }).click();
  await page.getByRole("button", { name: /MCP servers/ }).click();
  const picker = page.getByRole("menu", { name: "MCP servers" });
  const item = picker.getByRole("menuitemcheckbox", { name: new RegExp(serverName) });
  // Connected: no Connect button for it in the picker.
  await expect(picker.getByRole("menuitem", { name: `Connect ${serverName}` })).toHaveCount(0);
  await item.click();
  await expect(item).toHaveAttribute("aria-checked", "true");
  await page.keyboard.press("Escape");
  await expect(picker).toBeHidden();

  const message = page.getByRole("textbox", { name: "Message" });
  await message.fill(`Who am I? ${key}`);
  await message.press("Enter");
  const conversation = page.getByRole("region", { name: "Messages" });
  await expect(conversation.getByText(`Done ${key}.`)).toBeVisible({ timeout: 30_000 });
  await conversation.getByRole("button", { name: "Show details for Whoami" }).click();
  // whoami answers the request's headers: a bearer token reached the server, and the echo of
  // it was redacted before it was stored or shown (the token never reaches the page).
  await expect(
    conversation
      .getByText(/authorization\\?":\s*\\?"\[redacted: credential sent to this server\]/)
      .first(),
  ).toBeVisible();
  await expect(conversation.getByText(/Bearer ey/)).toHaveCount(0);

  // Disconnect on the settings page, confirmed; the server asks to be connected again.
  await page.goto("/settings");
  await row.getByRole("button", { name: `Disconnect ${serverName}` }).click();
  const confirm = page.getByRole("alertdialog", { name: `Disconnect “${serverName}”?` });
  await confirm.getByRole("button", { name: "Disconnect" }).click();
  await expect(confirm).toBeHidden();
  await expect(row.getByRole("button", { name: `Connect ${serverName}` })).toBeVisible();
  await expect(row).toContainText("Not connected");
  await expect(page.getByText(`Disconnected from ${serverName}`)).toBeVisible();

  // The chat's picker now offers to connect it, and connects from there too.
  await page.goto("/chat");
  await page.getByRole("button", { name: /MCP servers/ }).click();
  const menu = page.getByRole("menu", { name: "MCP servers" });
  const connectItem = menu.getByRole("menuitem", { name: `Connect ${serverName}` });
  const again = page.waitForEvent("popup");
  await connectItem.click();
  await (await again).waitForEvent("close");
  // The menu stayed open and updated in place.
  await expect(connectItem).toHaveCount(0);
  await expect(menu.getByRole("menuitemcheckbox", { name: new RegExp(serverName) })).toBeVisible();
  await page.context().close();
});

test("a blocked popup offers a link that connects in a new tab", async ({
  page: adminPage,
  browser,
}) => {
  const stamp = `${Date.now()}`;
  const serverName = `E2E OAuth tab ${stamp}`;
  await createOauthServer(adminPage.request, serverName, `e2e-oauth-tab-${stamp.slice(-8)}`);
  const page = await alicePage(browser);
  // What a popup blocker does: window.open answers null.
  await page.addInitScript(() => {
    window.open = () => null;
  });
  await page.goto("/settings");
  const row = page
    .getByRole("region", { name: "Connections" })
    .getByRole("listitem", { name: serverName });
  await row.getByRole("button", { name: `Connect ${serverName}` }).click();
  await expect(row.getByRole("alert")).toContainText("The sign-in window was blocked");
  // Never a same-tab navigation: the callback page reports to its opener.
  await expect(page).toHaveURL(/\/settings$/);

  const tabOpened = page.context().waitForEvent("page");
  await row.getByRole("link", { name: `Open the sign-in for ${serverName} in a new tab` }).click();
  const tab = await tabOpened;
  // The callback page closes itself only when it has an opener to report to.
  await tab.waitForEvent("close");
  await expect(row.getByText("Connected", { exact: true })).toBeVisible();
  await expect(row.getByRole("alert")).toHaveCount(0);
  await page.context().close();
});

test("a popup whose message never arrives is noticed when it closes", async ({
  page: adminPage,
  browser,
}) => {
  const stamp = `${Date.now()}`;
  const serverName = `E2E OAuth coop ${stamp}`;
  await createOauthServer(adminPage.request, serverName, `e2e-oauth-coop-${stamp.slice(-8)}`);
  const page = await alicePage(browser);
  // As when an authorization server sending COOP cuts window.opener: the page never hears
  // from the callback page, so only the popup closing can tell it to look again.
  await page.addInitScript(() => {
    window.addEventListener("message", (event) => event.stopImmediatePropagation(), true);
  });
  await page.goto("/settings");
  const row = page
    .getByRole("region", { name: "Connections" })
    .getByRole("listitem", { name: serverName });
  const popupOpened = page.waitForEvent("popup");
  await row.getByRole("button", { name: `Connect ${serverName}` }).click();
  const popup = await popupOpened;
  await popup.waitForEvent("close");
  await expect(row.getByText("Connected", { exact: true })).toBeVisible();
  await expect(page.getByText(`Connected to ${serverName}`)).toBeVisible();
  await page.context().close();
});

test("the admin sees progress while OAuth2 is discovered, and the precise failure", async ({
  page,
}) => {
  const stamp = `${Date.now()}`;
  await page.goto("/admin/mcp-servers/new");
  await page.getByLabel("Display name").fill(`E2E OAuth form ${stamp}`);
  // The plain MCP test server: no protected resource metadata, no authorization server.
  await page.getByRole("textbox", { name: "URL", exact: true }).fill(MCP_TEST_URL);
  await page.getByRole("combobox", { name: "Authentication type" }).click();
  await page.getByRole("option", { name: "OAuth2" }).click();
  // Held for a moment, so the progress is observable whatever the discovery's speed.
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/api/mcp/servers", async (route) => {
    if (route.request().method() === "POST") await held;
    await route.continue();
  });
  await page.getByRole("button", { name: "Create server" }).click();
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
