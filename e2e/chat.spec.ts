import { expect, test } from "@playwright/test";
import { scriptModel } from "./support/api";
import {
  createFakeModel,
  createMcpServer,
  deadMcpUrl,
  memberPage,
  startChat,
} from "./support/chat";
import { ADMIN_STATE, MCP_TEST_URL } from "./support/constants";

test.use({ storageState: ADMIN_STATE });

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
  await scriptModel(key, [
    { text: `Answered without tools ${key}.` },
    { text: `Still without tools ${key}.` },
  ]);

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

  // The next turn skips the server again: the notice is not repeated, the picker carries it.
  await page.getByRole("textbox", { name: "Message" }).fill(`And now? ${key}`);
  await page.getByRole("button", { name: "Send message" }).click();
  await expect(conversation.getByText(`Still without tools ${key}.`)).toBeVisible({
    timeout: 30_000,
  });
  await expect(
    conversation.getByRole("status").filter({ hasText: `${serverName} was skipped` }),
  ).toHaveCount(1);
  await page.getByRole("button", { name: /MCP servers \(\d+ on\) \(1 unavailable\)/ }).click();
  const item = page
    .getByRole("menu", { name: "MCP servers" })
    .getByRole("menuitemcheckbox", { name: new RegExp(serverName) });
  await expect(item).toContainText("Unavailable");
  // The admin sees the server's own reason.
  await expect(item).toContainText(`${serverName} was skipped in the last answer:`);
  await page.keyboard.press("Escape");

  // Plan mode: the composer says the plan turn pauses this unapproved server.
  await page.getByRole("switch", { name: "Plan mode" }).click();
  await expect(
    page.getByText(
      new RegExp(`Paused while planning \\(not approved by an admin\\): .*${serverName}`),
    ),
  ).toBeVisible();
  await page.getByRole("button", { name: /MCP servers/ }).click();
  await expect(
    page
      .getByRole("menu", { name: "MCP servers" })
      .getByRole("menuitemcheckbox", { name: new RegExp(serverName) }),
  ).toContainText("Paused while planning");
  await page.keyboard.press("Escape");
});
