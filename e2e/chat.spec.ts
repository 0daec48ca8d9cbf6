import { createServer as createTcpServer } from "node:net";
import { expect, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { apiPost, scriptModel } from "./support/api";
import { signIn } from "./support/auth";
import { ADMIN_STATE, FAKE_MODEL_URL, MCP_TEST_URL } from "./support/constants";

test.use({ storageState: ADMIN_STATE });

/** A provider pointing at the fake model, with a model name no other spec uses. */
async function createFakeModel(request: APIRequestContext, stamp: string): Promise<string> {
  const model = `fake-model-${stamp}`;
  await apiPost(request, "/api/model-providers", {
    kind: "openai-compatible",
    display_name: `E2E fake ${stamp}`,
    base_url: FAKE_MODEL_URL,
    models: [model],
    default_model: model,
  });
  return model;
}

/** A loopback URL where nothing listens: a port that was free a moment ago. */
async function deadMcpUrl(): Promise<string> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/mcp`;
}

/** A fresh member, signed in in a context of their own. */
async function memberPage(browser: Browser, admin: APIRequestContext, stamp: string) {
  const member = {
    name: "Chat Member",
    email: `chat-member-${stamp}@example.com`,
    password: "member-password",
  };
  await apiPost(admin, "/api/users", { ...member, role: "member" });
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await signIn(page, member.email, member.password);
  return page;
}

async function createMcpServer(
  request: APIRequestContext,
  input: { name: string; slug: string; url: string; modelIntent?: boolean },
): Promise<{ id: string; slug: string }> {
  return apiPost(request, "/api/mcp/servers", {
    display_name: input.name,
    slug: input.slug,
    description: "Tools for the chat end-to-end test.",
    url: input.url,
    transport: "streamable_http",
    availability: "default_off",
    enabled: true,
    model_intent: input.modelIntent ?? false,
  });
}

/** Opens a new chat with the test model and exactly the given server picked among default_off. */
async function startChat(page: Page, model: string, serverName: string) {
  await page.goto("/chat");
  await expect(page.getByRole("heading", { name: "New chat", level: 1 })).toBeVisible();
  await page.getByRole("combobox", { name: "Model" }).click();
  await page.getByRole("option", { name: model, exact: true }).click();
  await page.getByRole("button", { name: /MCP servers/ }).click();
  const picker = page.getByRole("menu", { name: "MCP servers" });
  const item = picker.getByRole("menuitemcheckbox", { name: new RegExp(serverName) });
  await expect(item).toHaveAttribute("aria-checked", "false");
  await item.click();
  await expect(item).toHaveAttribute("aria-checked", "true");
  await page.keyboard.press("Escape");
  await expect(picker).toBeHidden();
}

test("a member picks a server, sees the streamed answer and the labelled tool call", async ({
  page: adminPage,
  browser,
}) => {
  const stamp = `${Date.now()}`;
  const key = `echo-key-${stamp}`;
  const slug = `e2e-echo-${stamp.slice(-8)}`;
  const serverName = `E2E Echo ${stamp}`;
  const model = await createFakeModel(adminPage.request, stamp);
  await createMcpServer(adminPage.request, {
    name: serverName,
    slug,
    url: MCP_TEST_URL,
    modelIntent: true,
  });
  await scriptModel(key, [
    {
      toolCalls: [
        {
          name: `${slug}__echo`,
          arguments: { model_intent: "Echoing the greeting", properties: { text: "hi" } },
        },
      ],
    },
    { text: `The echo tool said **hi**. Done ${key}.`, chunkDelayMs: 20 },
  ]);

  const page = await memberPage(browser, adminPage.request, stamp);
  await startChat(page, model, serverName);
  const message = page.getByRole("textbox", { name: "Message" });
  await message.fill(`Please echo a greeting ${key}`);
  await message.press("Enter");

  // The chat is created on the first send and opened at its own URL.
  await expect(page).toHaveURL(/\/chat\/[0-9a-f-]{36}$/);
  const conversation = page.getByRole("region", { name: "Messages" });
  await expect(conversation.getByText(`Please echo a greeting ${key}`)).toBeVisible();
  await expect(conversation.getByText(`Done ${key}.`)).toBeVisible();
  // Markdown is rendered as elements.
  await expect(conversation.locator("strong", { hasText: "hi" })).toBeVisible();

  // One generic tool component, labelled with the model's intent, result behind a disclosure.
  const details = conversation.getByRole("button", {
    name: "Show details for Echoing the greeting",
  });
  await expect(details).toHaveAttribute("aria-expanded", "false");
  await expect(conversation.getByText(serverName).first()).toBeVisible();
  await details.click();
  await expect(details).toHaveAttribute("aria-expanded", "true");
  await expect(conversation.getByText("Arguments")).toBeVisible();
  await expect(conversation.getByText('"text": "hi"')).toBeVisible();
  await expect(conversation.getByText("Result")).toBeVisible();
  // The intent is a label, never an argument the MCP server sees.
  await expect(conversation.getByText("model_intent")).toHaveCount(0);

  // The chat is in the history, active; reopening it shows the stored turn the same way.
  const history = page.getByRole("navigation", { name: "Chat history" });
  await expect(history.locator('a[aria-current="page"]')).toContainText(key);
  await page.reload();
  await expect(conversation.getByText(`Done ${key}.`)).toBeVisible();
  await expect(
    conversation.getByRole("button", { name: "Show details for Echoing the greeting" }),
  ).toBeVisible();
  await expect(page.getByRole("button", { name: /MCP servers \(\d+ on\)/ })).toBeVisible();
  await page.context().close();
});

test("a selected server that is down shows a notice and the answer still arrives", async ({
  page,
}) => {
  const stamp = `${Date.now()}`;
  const key = `down-key-${stamp}`;
  const serverName = `E2E Down ${stamp}`;
  const model = await createFakeModel(page.request, stamp);
  await createMcpServer(page.request, {
    name: serverName,
    slug: `e2e-down-${stamp.slice(-8)}`,
    url: await deadMcpUrl(),
  });
  await scriptModel(key, [{ text: `Answered without tools ${key}.` }]);

  await startChat(page, model, serverName);
  await page.getByRole("textbox", { name: "Message" }).fill(`Anything there? ${key}`);
  await page.getByRole("button", { name: "Send message" }).click();

  const conversation = page.getByRole("region", { name: "Messages" });
  await expect(conversation.getByText(`Answered without tools ${key}.`)).toBeVisible({
    timeout: 30_000,
  });
  await expect(
    conversation.getByRole("status").filter({ hasText: `${serverName} was skipped` }),
  ).toHaveCount(1);
  await expect(conversation.getByRole("alert")).toHaveCount(0);
});
