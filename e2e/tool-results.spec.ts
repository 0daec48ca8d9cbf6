import { expect, test } from "@playwright/test";
import { FILE_LINK, HTTPS_LINK } from "./fixtures/mcp-tool-results";
import { ChatPage } from "./pages/chat-page";
import { scriptModel } from "./support/api";
import { createFakeModel, createMcpServer, memberPage } from "./support/chat";
import { ADMIN_STATE, MCP_TEST_URL } from "./support/constants";
import { needsFixtures } from "./support/deployment";
import { unique } from "./support/names";
import { reload } from "./support/hydration";

test.use({ storageState: ADMIN_STATE });
test.beforeEach(() => needsFixtures());

test("links, embedded resources and progress of MCP tools show in the chat, live and after a reload", async ({
  page: adminPage,
  browser,
}) => {
  test.setTimeout(120_000);
  const serverName = unique("results");
  const key = `${serverName}-key`;
  const model = await createFakeModel(adminPage.request);
  await createMcpServer(adminPage.request, {
    name: serverName,
    url: MCP_TEST_URL,
    modelIntent: true,
    extra: { tool_allow_list: ["links_and_resources", "progress_steps", "get_image"] },
  });
  await scriptModel(key, [
    {
      toolCalls: [
        {
          name: `${serverName}__progress_steps`,
          // Slow enough that the running row is seen with its progress.
          arguments: { model_intent: "Crunching the numbers", properties: { steps: 4, ms: 8000 } },
        },
      ],
    },
    {
      toolCalls: [
        {
          name: `${serverName}__links_and_resources`,
          arguments: { model_intent: "Collecting the documents", properties: {} },
        },
        {
          name: `${serverName}__get_image`,
          arguments: { model_intent: "Drawing", properties: {} },
        },
      ],
    },
    { text: `All found ${key}.` },
  ]);

  const chat = new ChatPage(await memberPage(browser, adminPage.request));
  const page = chat.page;
  await chat.startNew(model, serverName);
  await chat.send(`Please crunch and collect ${key}`);
  const conversation = chat.conversation;

  // The running call shows the server's progress: a bar with its value and the message.
  const bar = conversation.getByRole("progressbar", { name: "Progress of Crunching the numbers" });
  await expect(bar).toBeVisible({ timeout: 30_000 });
  await expect(bar).toHaveAttribute("aria-valuemax", "4");
  await expect(conversation.getByText(/Step [1-4] of 4/)).toBeVisible();
  await expect(conversation.getByText(`All found ${key}.`)).toBeVisible({ timeout: 60_000 });
  // Finished: no progress any more, as after a reload.
  await expect(conversation.getByRole("progressbar")).toHaveCount(0);

  const check = async () => {
    // A link card: an https link opens in a new tab without access to this page.
    const link = conversation.getByRole("link", { name: HTTPS_LINK.title });
    await expect(link).toHaveAttribute("href", HTTPS_LINK.uri);
    await expect(link).toHaveAttribute("target", "_blank");
    await expect(link).toHaveAttribute("rel", /noopener/);
    await expect(conversation.getByText(HTTPS_LINK.description)).toBeVisible();
    // Another scheme is shown, never linked.
    await expect(conversation.getByText(FILE_LINK.uri)).toBeVisible();
    await expect(conversation.getByRole("link", { name: FILE_LINK.name })).toHaveCount(0);
    // An embedded text resource, collapsed until asked for.
    // Its accessible name is what it shows (the name and the URI).
    const viewer = conversation.getByRole("button", { name: /meeting\.txt/ });
    await expect(viewer).toHaveAttribute("aria-expanded", "false");
    await expect(conversation.getByText("- ship the release")).toBeHidden();
    await viewer.click();
    await expect(viewer).toHaveAttribute("aria-expanded", "true");
    await expect(conversation.getByText("- ship the release")).toBeVisible();
    // An image from a tool is shown inline, without opening the call's details.
    await expect(
      conversation.getByRole("img", { name: "Image 1 returned by the tool" }),
    ).toBeVisible();
    // An embedded binary: its type and size, and a download.
    await expect(conversation.getByText(/application\/zip · \d+ bytes/)).toBeVisible();
    await expect(conversation.getByRole("button", { name: "Download archive.zip" })).toBeVisible();
  };
  await check();
  await chat.expectAccessible("A chat with tool results");

  await reload(page);
  await expect(conversation.getByText(`All found ${key}.`)).toBeVisible({ timeout: 30_000 });
  await expect(conversation.getByRole("progressbar")).toHaveCount(0);
  await check();
});
