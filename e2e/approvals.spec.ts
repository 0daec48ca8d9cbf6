import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { apiPost, scriptModel } from "./support/api";
import { AuditPage } from "./pages/audit-page";
import { ChatPage } from "./pages/chat-page";
import { createFakeModel, memberPage } from "./support/chat";
import { ADMIN_STATE, MCP_TEST_URL } from "./support/constants";
import { reload } from "./support/hydration";

test.use({ storageState: ADMIN_STATE });

test("a member approves an edited call and denies another; an admin filters the audit and downloads it", async ({
  page: adminPage,
  browser,
}) => {
  test.setTimeout(120_000);
  const stamp = `${Date.now()}`;
  const key = `approval-key-${stamp}`;
  const slug = `e2e-appr-${stamp.slice(-8)}`;
  const serverName = `E2E Approvals ${stamp}`;
  const model = await createFakeModel(adminPage.request, "approvals");
  // Every tool of this server waits for a person.
  await apiPost(adminPage.request, "/api/mcp/servers", {
    display_name: serverName,
    slug,
    url: MCP_TEST_URL,
    transport: "streamable_http",
    availability: "default_off",
    enabled: true,
    model_intent: true,
    tool_default: "approval",
  });
  await scriptModel(key, [
    {
      toolCalls: [
        {
          name: `${slug}__echo`,
          arguments: { model_intent: "Greeting the team", properties: { text: "hello" } },
        },
      ],
    },
    { text: `The echo came back ${key}.`, chunkDelayMs: 10 },
    {
      toolCalls: [
        {
          name: `${slug}__echo`,
          arguments: { model_intent: "Greeting once more", properties: { text: "again" } },
        },
      ],
    },
    { text: `Understood, nothing was sent ${key}.` },
  ]);

  const page = await memberPage(browser, adminPage.request, "approvals");
  const chat = new ChatPage(page);
  await chat.startNew(model, serverName);
  await chat.send(`Please greet the team ${key}`);
  await expect(page).toHaveURL(/\/chat\/[0-9a-f-]{36}$/);

  // The turn pauses: the card names the tool and server, shows the intent and the arguments.
  const card = chat.approvalCard("echo", serverName);
  await card.expectShown();
  await expect(card.text("Greeting the team")).toBeVisible();
  await card.expectState("Waiting for you");
  const text = card.argument("text (required)");
  await expect(text).toHaveValue("hello");
  // The chat list marks the chat as waiting.
  await expect(chat.waitingMark).toBeAttached();

  // An empty required argument is caught before anything is sent.
  await text.fill("");
  await card.approveButton.click();
  await expect(card.text("text is required")).toBeVisible();

  // Edit with the keyboard and approve: the answer streams in.
  await text.fill("hello, edited by a person");
  await text.press("Enter");
  await chat.expectAnswer(`The echo came back ${key}.`);
  await card.expectState("Approved");
  // The call ran with the edited argument.
  await chat.toolCallDetails("Greeting the team").click();
  await expect(chat.conversation.getByText("hello, edited by a person").first()).toBeVisible();

  // The reloaded chat shows the same.
  await reload(page);
  await expect(chat.conversation.getByText(`The echo came back ${key}.`)).toBeVisible();
  await card.expectState("Approved");

  // Another call, denied: the model is told and answers without it.
  await chat.sendWithButton("Once more, please");
  const second = chat.approvalCard("echo", serverName, "Greeting once more");
  await second.expectShown();
  await second.denyButton.click();
  await chat.expectAnswer(`Understood, nothing was sent ${key}.`);
  await second.expectState("Declined");

  // The admin finds the declined call in the audit and downloads the filtered CSV.
  const audit = new AuditPage(adminPage);
  await audit.goto();
  await audit.filter({ server: serverName, decision: "declined" });
  await expect(audit.table.getByRole("row")).toHaveCount(2);
  await expect(audit.table.getByText("declined")).toBeVisible();
  const drawer = await audit.openDetails("echo");
  await expect(drawer.getByText("Greeting once more")).toBeVisible();
  await adminPage.keyboard.press("Escape");

  const download = await audit.downloadCsv();
  const csv = fs.readFileSync((await download.path())!, "utf8");
  const lines = csv.trim().split("\r\n");
  expect(lines[0]).toContain("input_sha256");
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain("declined");
  // Only the hash of the arguments, never the arguments.
  expect(csv).not.toContain("again");
});
