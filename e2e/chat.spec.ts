import { expect, test } from "@playwright/test";
import { ChatPage } from "./pages/chat-page";
import { scriptModel } from "./support/api";
import { createFakeModel, createMcpServer, deadMcpUrl, memberPage } from "./support/chat";
import { ADMIN_STATE, MCP_TEST_URL } from "./support/constants";
import { needsFixtures } from "./support/deployment";
import { unique } from "./support/names";
import { reload } from "./support/hydration";

test.use({ storageState: ADMIN_STATE });
test.beforeEach(() => needsFixtures());

test("a member picks a server, sees the streamed answer and the labelled tool call", async ({
  page: adminPage,
  browser,
}) => {
  const serverName = unique("echo");
  const key = `${serverName}-key`;
  const model = await createFakeModel(adminPage.request);
  await createMcpServer(adminPage.request, {
    name: serverName,
    url: MCP_TEST_URL,
    modelIntent: true,
  });
  await scriptModel(key, [
    {
      toolCalls: [
        {
          name: `${serverName}__echo`,
          arguments: { model_intent: "Echoing the greeting", properties: { text: "hi" } },
        },
      ],
    },
    { text: `The echo tool said **hi**. Done ${key}.`, chunkDelayMs: 20 },
  ]);

  const chat = new ChatPage(await memberPage(browser, adminPage.request));
  const page = chat.page;
  await chat.startNew(model, serverName);
  await chat.expectAccessible("A new chat");
  await chat.send(`Please echo a greeting ${key}`);

  // The chat is created on the first send and opened at its own URL.
  await expect(page).toHaveURL(/\/chat\/[0-9a-f-]{36}$/);
  const conversation = chat.conversation;
  await expect(conversation.getByText(`Please echo a greeting ${key}`)).toBeVisible();
  await expect(conversation.getByText(`Done ${key}.`)).toBeVisible();
  // Markdown is rendered as elements.
  await expect(conversation.locator("strong", { hasText: "hi" })).toBeVisible();

  // One generic tool component, labelled with the model's intent, result behind a disclosure.
  const details = chat.toolCallDetails("Echoing the greeting");
  await expect(details).toHaveAttribute("aria-expanded", "false");
  await expect(conversation.getByText(serverName).first()).toBeVisible();
  await details.click();
  await expect(details).toHaveAttribute("aria-expanded", "true");
  await expect(conversation.getByText("Arguments")).toBeVisible();
  await expect(conversation.getByText('"text": "hi"')).toBeVisible();
  await expect(conversation.getByText("Result")).toBeVisible();
  // The intent is a label, never an argument the MCP server sees.
  await expect(conversation.getByText("model_intent")).toHaveCount(0);
  await chat.expectAccessible("A chat with an answer and an open tool call");

  // The chat is in the history, active; reopening it shows the stored turn the same way.
  await expect(chat.history.locator('a[aria-current="page"]')).toContainText(key);
  await reload(page);
  await expect(conversation.getByText(`Done ${key}.`)).toBeVisible();
  await expect(chat.toolCallDetails("Echoing the greeting")).toBeVisible();
  await expect(page.getByRole("button", { name: /MCP servers \(\d+ on\)/ })).toBeVisible();
  await page.context().close();
});

test("a selected server that is down shows a notice and the answer still arrives", async ({
  page,
}) => {
  const serverName = unique("down");
  const key = `${serverName}-key`;
  const model = await createFakeModel(page.request);
  await createMcpServer(page.request, { name: serverName, url: await deadMcpUrl() });
  await scriptModel(key, [
    { text: `Answered without tools ${key}.` },
    { text: `Still without tools ${key}.` },
  ]);

  const chat = new ChatPage(page);
  await chat.startNew(model, serverName);
  await chat.sendWithButton(`Anything there? ${key}`);

  const skipped = chat.notice(`${serverName} was skipped`);
  await chat.expectAnswer(`Answered without tools ${key}.`);
  await expect(skipped).toHaveCount(1);
  await expect(chat.conversation.getByRole("alert")).toHaveCount(0);

  // The next turn skips the server again: the notice is not repeated, the picker carries it.
  await chat.sendWithButton(`And now? ${key}`);
  await chat.expectAnswer(`Still without tools ${key}.`);
  await expect(skipped).toHaveCount(1);
  await chat.openServerPicker(/MCP servers \(\d+ on\) \(1 unavailable\)/);
  const item = chat.serverItem(serverName);
  await expect(item).toContainText("Unavailable");
  // The admin sees the server's own reason.
  await expect(item).toContainText(`${serverName} was skipped in the last answer:`);
  await chat.expectAccessible("The MCP server picker with an unavailable server");
  await chat.closeMenu();

  // Plan mode: the composer says the plan turn pauses this unapproved server.
  await chat.planSwitch.click();
  await expect(
    page.getByText(
      new RegExp(`Paused while planning \\(not approved by an admin\\): .*${serverName}`),
    ),
  ).toBeVisible();
  await chat.openServerPicker();
  await expect(chat.serverItem(serverName)).toContainText("Paused while planning");
  await chat.closeMenu();
});
