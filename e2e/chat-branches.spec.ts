import { expect, test } from "@playwright/test";
import { ChatPage } from "./pages/chat-page";
import { scriptModel } from "./support/api";
import { createFakeModel } from "./support/chat";
import { ADMIN_STATE } from "./support/constants";
import { needsFixtures } from "./support/deployment";
import { unique } from "./support/names";
import { reload } from "./support/hydration";

test.use({ storageState: ADMIN_STATE });
test.beforeEach(() => needsFixtures());

// Copy, regenerate and edit on messages; the versions they leave behind; search by message
// text. See docs/chat-branches.md.
test("copy, regenerate and edit a message, switch between versions, find it by search", async ({
  page,
}, testInfo) => {
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.setViewportSize({ width: 1280, height: 800 });
  const key = unique("branch");
  const model = await createFakeModel(page.request);
  await scriptModel(key, [
    { text: `**First** answer about zebras-${key}.` },
    { text: "Second answer." },
    { text: "Answer to the edited question." },
  ]);
  const chat = new ChatPage(page);
  await chat.startNew(model);
  await chat.send(`${key} tell me about zebras`);
  await chat.expectAnswer("answer about zebras");

  const question = chat.userMessages.first();
  const answer = chat.assistantMessages.first();
  // Copy: the question as typed, the answer as Markdown.
  await question.hover();
  await question.getByRole("button", { name: "Copy message" }).click();
  await expect
    .poll(() => page.evaluate(() => navigator.clipboard.readText()))
    .toBe(`${key} tell me about zebras`);
  await answer.getByRole("button", { name: "Copy message" }).click();
  await expect
    .poll(() => page.evaluate(() => navigator.clipboard.readText()))
    .toBe(`**First** answer about zebras-${key}.`);

  // Regenerate: a second answer, the first one kept as version 1 of 2.
  await chat.regenerateLastAnswer();
  await chat.expectAnswer("Second answer.");
  await expect(chat.assistantMessages).toHaveCount(1);
  const answerVersions = chat.versions(chat.assistantMessages.first(), "answer");
  await expect(answerVersions).toContainText("2 / 2");
  await chat.previousVersion(chat.assistantMessages.first(), "answer");
  await expect(answerVersions).toContainText("1 / 2");
  await expect(chat.conversation.getByText("answer about zebras")).toBeVisible();
  await expect(chat.conversation.getByText("Second answer.")).toHaveCount(0);
  await chat.nextVersion(chat.assistantMessages.first(), "answer");
  await expect(chat.conversation.getByText("Second answer.")).toBeVisible();

  // Edit the question: a new branch with its own answer, the old question kept.
  await chat.editMessage(chat.userMessages.first(), `${key} tell me about horses`);
  await chat.expectAnswer("Answer to the edited question.");
  await expect(chat.userMessages.first()).toContainText("horses");
  await expect(chat.versions(chat.userMessages.first(), "message")).toContainText("2 / 2");
  await expect(chat.conversation.getByText("Second answer.")).toHaveCount(0);
  await chat.expectAccessible("A chat with edited and regenerated messages");
  await testInfo.attach("chat-branches-1280", {
    body: await page.screenshot(),
    contentType: "image/png",
  });

  // The live view is what a reload shows.
  await reload(page);
  await chat.expectAnswer("Answer to the edited question.");
  await expect(chat.versions(chat.userMessages.first(), "message")).toContainText("2 / 2");

  // Back to the first question: its branch shows its newest answer, with both versions.
  await chat.previousVersion(chat.userMessages.first(), "message");
  await expect(chat.userMessages.first()).toContainText("zebras");
  await chat.expectAnswer("Second answer.");
  await expect(chat.versions(chat.assistantMessages.first(), "answer")).toContainText("2 / 2");

  // Search finds the chat by a word only its first answer holds, and marks it.
  await chat.historySearch.fill(`zebras-${key}`);
  const result = chat.searchResults.getByRole("link");
  await expect(result).toHaveCount(1);
  await expect(result.locator("mark")).toHaveText(`zebras-${key}`);
  await chat.historySearch.fill(`no-such-words-${key}`);
  await expect(chat.history.getByText(/No chats mention/)).toBeVisible();
  await chat.historySearch.fill("");

  await page.setViewportSize({ width: 390, height: 844 });
  await expect(chat.versions(chat.assistantMessages.first(), "answer")).toBeVisible();
  await testInfo.attach("chat-branches-390", {
    body: await page.screenshot(),
    contentType: "image/png",
  });
});
