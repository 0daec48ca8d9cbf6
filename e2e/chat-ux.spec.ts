import { expect, test } from "@playwright/test";
import { ChatPage } from "./pages/chat-page";
import { releaseModel, scriptModel } from "./support/api";
import { createFakeModel, memberPage } from "./support/chat";
import { ADMIN_STATE } from "./support/constants";
import { needsFixtures } from "./support/deployment";
import { unique } from "./support/names";
import { reload } from "./support/hydration";

test.use({ storageState: ADMIN_STATE });
test.beforeEach(() => needsFixtures());

const FENCE = "```";

test("an answer renders GitHub-flavoured Markdown, safely, with copy buttons", async ({ page }) => {
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  const key = unique("gfm");
  const model = await createFakeModel(page.request);
  const answer = [
    "Status of the ~~draft~~ tools:",
    "",
    "| Tool | Status |",
    "| --- | --- |",
    "| echo | **ready** |",
    "| add | broken |",
    "",
    "- [x] write the tests",
    "- [ ] ship it",
    "",
    `${FENCE}ts`,
    "const answer: number = 42;",
    FENCE,
    "",
    '<script>window.__xss = 1</script><img src="x" onerror="window.__xss = 2">',
    "",
    "![tracker](https://example.com/pixel.png?leak=1) [bad](javascript:alert(1))",
    "",
    `Done ${key}.`,
  ].join("\n");
  await scriptModel(key, [{ text: answer }]);

  const chat = new ChatPage(page);
  await chat.startNew(model);
  await chat.send(`${key} show me a table`);

  const conversation = chat.conversation;
  await chat.expectAnswer(`Done ${key}.`);
  const table = conversation.getByRole("table");
  await expect(table.getByRole("columnheader", { name: "Status" })).toBeVisible();
  await expect(table.getByRole("row")).toHaveCount(3);
  await expect(table.getByRole("cell", { name: "ready" })).toBeVisible();
  await expect(conversation.locator("del", { hasText: "draft" })).toBeVisible();
  await expect(
    conversation.getByRole("listitem").filter({ hasText: "write the tests" }),
  ).toContainText("Done:");
  await expect(conversation.getByRole("listitem").filter({ hasText: "ship it" })).toContainText(
    "To do:",
  );
  // The highlighter loads lazily, then colours the block.
  const code = conversation.locator('[data-lang="typescript"]');
  await expect(code.locator(".hljs-keyword").first()).toHaveText("const");

  // No raw HTML, no image fetched, no javascript: link.
  await expect(conversation.locator("script, img:not([aria-hidden])")).toHaveCount(0);
  expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
  await expect(conversation.getByRole("link", { name: "Image: tracker" })).toHaveAttribute(
    "href",
    "https://example.com/pixel.png?leak=1",
  );
  await expect(conversation.getByRole("link", { name: "bad" })).toHaveCount(0);

  await code.getByRole("button", { name: "Copy code" }).click();
  await expect
    .poll(() => page.evaluate(() => navigator.clipboard.readText()))
    .toBe("const answer: number = 42;");

  await chat.assistantMessages.getByRole("button", { name: "Copy message" }).click();
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(answer);
  await chat.userMessages.getByRole("button", { name: "Copy message" }).click();
  await expect
    .poll(() => page.evaluate(() => navigator.clipboard.readText()))
    .toBe(`${key} show me a table`);

  // The Tools dialog: built-ins collapsed, described, searchable.
  await chat.expectAccessible("A chat with a Markdown answer");
  const dialog = await chat.openToolsDialog();
  const builtins = dialog.getByRole("button", { name: /Built-in tools/ });
  await expect(builtins).toHaveAttribute("aria-expanded", "false");
  await expect(dialog.getByText("read_file", { exact: true })).toHaveCount(0);
  await dialog.getByRole("searchbox", { name: "Search tools" }).fill("read file");
  await expect(dialog.getByText("read_file", { exact: true })).toBeVisible();
  await expect(dialog.getByText("Reads a text file in the chat's workspace.")).toBeVisible();
  await expect(dialog.getByText(/This chat has no workspace/)).toBeVisible();
  await dialog.getByRole("searchbox", { name: "Search tools" }).fill("");
  await builtins.click();
  await expect(builtins).toHaveAttribute("aria-expanded", "true");
  await expect(dialog.getByRole("region", { name: "Sub-agents" })).toBeVisible();
  await chat.expectAccessible("The Tools dialog");
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();

  // Search in the history finds this chat by a word of its title.
  const history = chat.history;
  const search = chat.historySearch;
  await search.fill(key.toUpperCase());
  await expect(history.getByRole("link")).toHaveCount(2); // "New chat" and this chat
  await expect(history.getByRole("link", { name: new RegExp(key) })).toBeVisible();
  await search.fill(`no-such-chat-${key}`);
  await expect(history.getByText(/No chats mention/)).toBeVisible();
});

test("Enter while an answer is being written sends the message when it finishes", async ({
  page,
}) => {
  const key = unique("queue");
  const model = await createFakeModel(page.request);
  // The first answer streams its words, then waits for the test to let it finish.
  await scriptModel(key, [
    { text: `Still writing the first answer ${key}.`, holdUntilReleased: key },
    { text: `Second answer ${key}.` },
  ]);

  const chat = new ChatPage(page);
  await chat.startNew(model);
  const box = chat.composer;
  await chat.send(`${key} go slowly`);
  const conversation = chat.conversation;
  await expect(chat.stopButton).toBeVisible();
  await expect(conversation.getByText(`Still writing the first answer ${key}.`)).toBeVisible();

  await chat.send("And a follow-up");
  await expect(page.getByText(/will be sent when the answer finishes/)).toBeVisible();
  // No spinner on a send button while the turn runs: the stop button is there instead.
  await expect(chat.sendButton).toHaveCount(0);

  await releaseModel(key);
  await chat.expectAnswer(`Second answer ${key}.`);
  await expect(chat.userMessages).toHaveCount(2);
  await expect(chat.userMessages.last()).toContainText("And a follow-up");
  await expect(box).toHaveValue("");
});

test("the model's reasoning shows live and, collapsed, after a reload", async ({ page }) => {
  const key = unique("reason");
  const model = await createFakeModel(page.request);
  await scriptModel(key, [
    { reasoning: `Weighing umbrellas for ${key}.`, text: `Take an umbrella, ${key}.` },
  ]);
  const chat = new ChatPage(page);
  await chat.startNew(model);
  await chat.send(`${key} do I need an umbrella?`);
  await chat.expectAnswer(`Take an umbrella, ${key}.`);
  const reasoning = chat.conversation.locator("details", { hasText: "Reasoning" });
  for (const when of ["live", "reloaded"]) {
    await expect(reasoning, when).toHaveCount(1);
    const thought = reasoning.getByText(`Weighing umbrellas for ${key}.`);
    await expect(thought, `${when}: collapsed`).toBeHidden();
    await reasoning.getByText("Reasoning").click();
    await expect(thought, `${when}: opened`).toBeVisible();
    if (when === "live") {
      await reload(page);
      await chat.expectAnswer(`Take an umbrella, ${key}.`);
    }
  }
});

test("a reloaded chat arrives with its stored messages, and only for its owner", async ({
  page,
  browser,
}) => {
  const key = unique("stored");
  const question = `${key} remember this`;
  const answer = `Stored answer for ${key}.`;
  const model = await createFakeModel(page.request);
  await scriptModel(key, [{ text: answer }]);
  const chat = new ChatPage(page);
  await chat.startNew(model);
  await chat.send(question);
  await chat.expectAnswer(answer);
  await page.waitForURL(/\/chat\/[0-9a-f-]{36}$/);
  const path = new URL(page.url()).pathname;

  // The page's own HTML shows the stored question and answer (not only its script data).
  const html = await (await page.request.get(path)).text();
  const shown = html.replace(/<script[\s\S]*?<\/script>/g, "");
  expect(shown).toContain(question);
  expect(shown).toContain(answer);

  // Reloaded, the conversation starts from that copy: the chat is not fetched again.
  const apiPath = path.replace(/^\/chat\//, "/api/chats/");
  const fetched: string[] = [];
  page.on("request", (req) => {
    if (req.method() === "GET" && new URL(req.url()).pathname === apiPath) fetched.push(req.url());
  });
  await reload(page);
  await chat.expectAnswer(answer);
  await page.waitForLoadState("networkidle");
  expect(fetched).toEqual([]);

  // Anyone else gets the not-found page, with nothing of the chat in it.
  const other = await memberPage(browser, page.request, "stranger");
  const res = await other.request.get(path);
  expect(await res.text()).not.toContain(answer);
  await other.goto(path);
  await expect(other.getByRole("heading", { name: "Chat not found" })).toBeVisible();
  await expect(other.getByText(answer)).toHaveCount(0);
  await other.context().close();
});
