import { expect, test } from "@playwright/test";
import { scriptModel } from "./support/api";
import { createFakeModel, startChat } from "./support/chat";
import { ADMIN_STATE } from "./support/constants";

test.use({ storageState: ADMIN_STATE });

const FENCE = "```";

test("an answer renders GitHub-flavoured Markdown, safely, with copy buttons", async ({ page }) => {
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  const stamp = `${Date.now()}`;
  const key = `gfm-${stamp}`;
  const model = await createFakeModel(page.request, stamp);
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

  await startChat(page, model);
  await page.getByRole("textbox", { name: "Message" }).fill(`${key} show me a table`);
  await page.keyboard.press("Enter");

  const conversation = page.getByRole("region", { name: "Messages" });
  await expect(conversation.getByText(`Done ${key}.`)).toBeVisible({ timeout: 30_000 });
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

  const assistant = conversation.locator('[data-role="assistant"]');
  await assistant.getByRole("button", { name: "Copy message" }).click();
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(answer);
  await conversation
    .locator('[data-role="user"]')
    .getByRole("button", { name: "Copy message" })
    .click();
  await expect
    .poll(() => page.evaluate(() => navigator.clipboard.readText()))
    .toBe(`${key} show me a table`);

  // The Tools dialog: built-ins collapsed, described, searchable.
  await page.getByRole("button", { name: "Tools" }).click();
  const dialog = page.getByRole("dialog", { name: "Tools in this chat" });
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
  await page.keyboard.press("Escape");

  // Search in the history finds this chat by a word of its title.
  const history = page.getByRole("navigation", { name: "Chat history" });
  const search = history.getByRole("searchbox", { name: "Search chats" });
  await search.fill(key.toUpperCase());
  await expect(history.getByRole("link")).toHaveCount(2); // "New chat" and this chat
  await expect(history.getByRole("link", { name: new RegExp(key) })).toBeVisible();
  await search.fill(`no-such-chat-${stamp}`);
  await expect(history.getByText(/No chats match/)).toBeVisible();
});

test("Enter while an answer is being written sends the message when it finishes", async ({
  page,
}) => {
  const stamp = `${Date.now()}`;
  const key = `queue-${stamp}`;
  const model = await createFakeModel(page.request, stamp);
  // About 12 s of streaming: room for the steps below on a busy machine.
  const slow = Array.from({ length: 80 }, (_, i) => `word${i}`).join(" ");
  await scriptModel(key, [
    { text: `${slow} first ${key}.`, chunkDelayMs: 150 },
    { text: `Second answer ${key}.` },
  ]);

  await startChat(page, model);
  const box = page.getByRole("textbox", { name: "Message" });
  await box.fill(`${key} go slowly`);
  await box.press("Enter");
  const conversation = page.getByRole("region", { name: "Messages" });
  await expect(page.getByRole("button", { name: "Stop generating" })).toBeVisible();
  await expect(conversation.getByText("word3", { exact: false })).toBeVisible();

  await box.fill("And a follow-up");
  await box.press("Enter");
  await expect(page.getByText(/will be sent when the answer finishes/)).toBeVisible();
  // No spinner on a send button while the turn runs: the stop button is there instead.
  await expect(page.getByRole("button", { name: "Send message" })).toHaveCount(0);

  await expect(conversation.getByText(`Second answer ${key}.`)).toBeVisible({ timeout: 30_000 });
  await expect(conversation.locator('[data-role="user"]')).toHaveCount(2);
  await expect(conversation.locator('[data-role="user"]').last()).toContainText("And a follow-up");
  await expect(box).toHaveValue("");
});
