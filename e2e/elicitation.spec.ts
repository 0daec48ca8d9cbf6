// MCP elicitation in the chat: a server's tool asks the member for input during the call.
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { startMcp2026Server } from "./fixtures/mcp-2026-server";
import { startMcpTestServer } from "./fixtures/mcp-test-server";
import { ChatPage } from "./pages/chat-page";
import { apiPost, scriptModel } from "./support/api";
import { createFakeModel, memberPage } from "./support/chat";
import { ADMIN_STATE } from "./support/constants";
import { reload } from "./support/hydration";

test.use({ storageState: ADMIN_STATE });

/** A page the URL elicitation points at; it records every request it gets. */
async function startLanding() {
  const requests: string[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    requests.push(req.url ?? "");
    res.writeHead(200, { "content-type": "text/html" });
    // An inline icon: otherwise the browser asks for /favicon.ico, a second request.
    res.end(
      '<!doctype html><link rel="icon" href="data:,"><title>Landing</title><p>Signed in.</p>',
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/device/confirm?code=E2E-42`,
    host: `127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

test("a member answers a server's form in the chat, and opens a URL only by clicking it", async ({
  page: adminPage,
  browser,
}) => {
  test.setTimeout(120_000);
  const stamp = `${Date.now()}`;
  const key = `elicit-key-${stamp}`;
  const slug = `e2e-elic-${stamp.slice(-8)}`;
  const serverName = `E2E Asking ${stamp}`;
  // A real MCP server whose tools ask the person during the call.
  const mcp = await startMcpTestServer({ tools: [], elicitation: true });
  const landing = await startLanding();
  try {
    const model = await createFakeModel(adminPage.request, "elicitation");
    await apiPost(adminPage.request, "/api/mcp/servers", {
      display_name: serverName,
      slug,
      url: mcp.mcpUrl,
      transport: "streamable_http",
      availability: "default_off",
      enabled: true,
    });
    await scriptModel(key, [
      { toolCalls: [{ name: `${slug}__collect-user-info`, arguments: { infoType: "feedback" } }] },
      { text: `Thanks for the feedback ${key}.` },
      { toolCalls: [{ name: `${slug}__open_link`, arguments: { url: landing.url } }] },
      { text: `The sign-in went through ${key}.` },
    ]);

    const page = await memberPage(browser, adminPage.request, "elicitation");
    const chat = new ChatPage(page);
    await chat.startNew(model, serverName);
    await chat.send(`Collect my feedback ${key}`);
    await expect(page).toHaveURL(/\/chat\/[0-9a-f-]{36}$/);

    // The card names the server, shows its message and the form.
    const conversation = page.getByRole("region", { name: "Messages" });
    const card = conversation.getByRole("region", { name: `${serverName} asks for information` });
    await expect(card).toBeVisible({ timeout: 30_000 });
    await expect(card.getByText("How was the last release?")).toBeVisible();
    await expect(card.getByText("Waiting for you")).toBeVisible();
    // How long the question stays open (APPROVAL_TIMEOUT_S, 10 minutes by default).
    await expect(card.getByText(/^\d+ min left$/)).toBeVisible();
    const rating = card.getByRole("spinbutton", { name: "Rating (1 to 5) (required)" });
    const recommend = card.getByRole("checkbox", { name: "Would you recommend it? (required)" });
    const since = card.getByLabel("Using it since");
    await expect(card.getByRole("button", { name: "Decline" })).toBeVisible();
    await expect(card.getByRole("button", { name: "Cancel" })).toBeVisible();

    // Out of bounds: caught in the browser before anything is sent.
    await rating.fill("9");
    await card.getByRole("button", { name: "Accept" }).click();
    await expect(card.getByText("Rating (1 to 5) must be at most 5")).toBeVisible();
    await expect(rating).toHaveAttribute("aria-invalid", "true");

    await rating.fill("4");
    await recommend.check();
    await since.fill("2026-01-15");
    await card.getByRole("button", { name: "Accept" }).click();
    await chat.expectAnswer(`Thanks for the feedback ${key}.`);
    await expect(card.getByText("Accepted")).toBeVisible();
    // The server got the answer (its result is the tool call's output).
    await expect(card.getByRole("button", { name: "Accept" })).toHaveCount(0);

    // The reloaded chat shows the same card and state.
    await reload(page);
    const reloaded = page
      .getByRole("region", { name: "Messages" })
      .getByRole("region", { name: `${serverName} asks for information` });
    await expect(reloaded.getByText("Accepted")).toBeVisible({ timeout: 30_000 });

    // A URL: the full address with its host highlighted, nothing fetched before the click.
    await chat.send("Now sign me in");
    const urlCard = page
      .getByRole("region", { name: "Messages" })
      .getByRole("region", { name: `${serverName} asks you to open a page` });
    await expect(urlCard).toBeVisible({ timeout: 30_000 });
    await expect(urlCard.getByTestId("elicitation-url")).toHaveText(landing.url);
    await expect(urlCard.getByTestId("elicitation-domain")).toHaveText(landing.host);
    await expect(urlCard.locator("mark")).toHaveText(landing.host);
    const open = urlCard.getByRole("link", { name: `Open ${landing.host}` });
    await expect(open).toHaveAttribute("rel", "noopener noreferrer");
    expect(landing.requests).toEqual([]);

    const [popup] = await Promise.all([page.waitForEvent("popup"), open.click()]);
    await expect.poll(() => landing.requests.length).toBe(1);
    expect(landing.requests[0]).toBe("/device/confirm?code=E2E-42");
    await popup.close();

    await urlCard.getByRole("button", { name: "Accept" }).click();
    await chat.expectAnswer(`The sign-in went through ${key}.`);
    await expect(urlCard.getByText("Accepted")).toBeVisible();
  } finally {
    await landing.close();
    await mcp.close();
  }
});

test("a 2026-07-28 server's question (input_required) gets the same card and reaches the server", async ({
  page: adminPage,
  browser,
}) => {
  test.setTimeout(120_000);
  const stamp = `${Date.now()}`;
  const key = `mrtr-key-${stamp}`;
  const slug = `e2e-mrtr-${stamp.slice(-8)}`;
  const serverName = `E2E Stateless ${stamp}`;
  // A real 2.x SDK server: its `collect` tool answers input_required with a form until it
  // gets the answer back together with the requestState it handed out.
  const mcp = await startMcp2026Server({ legacy: "reject" });
  try {
    const model = await createFakeModel(adminPage.request, "mrtr");
    await apiPost(adminPage.request, "/api/mcp/servers", {
      display_name: serverName,
      slug,
      url: mcp.mcpUrl,
      transport: "streamable_http",
      availability: "default_off",
      enabled: true,
    });
    await scriptModel(key, [
      { toolCalls: [{ name: `${slug}__collect`, arguments: {} }] },
      { text: `Nice to meet you ${key}.` },
    ]);

    const page = await memberPage(browser, adminPage.request, "mrtr");
    const chat = new ChatPage(page);
    await chat.startNew(model, serverName);
    await chat.send(`Who am I? ${key}`);

    const card = page
      .getByRole("region", { name: "Messages" })
      .getByRole("region", { name: `${serverName} asks for information` });
    await expect(card).toBeVisible({ timeout: 30_000 });
    await expect(card.getByText("Who are you?")).toBeVisible();
    await card.getByRole("textbox", { name: "Your name (required)" }).fill("Ada");
    await card.getByRole("button", { name: "Accept" }).click();
    await chat.expectAnswer(`Nice to meet you ${key}.`);
    await expect(card.getByText("Accepted")).toBeVisible();
    // Asked once, then called again with the answer and the state.
    const calls = mcp
      .requests()
      .flatMap((r) => r.rpcMethods)
      .filter((m) => m === "tools/call");
    expect(calls).toHaveLength(2);
  } finally {
    await mcp.close();
  }
});
