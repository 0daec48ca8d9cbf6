import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { apiPost, scriptModel } from "./support/api";
import { ChatPage } from "./pages/chat-page";
import { createFakeModel, memberPage } from "./support/chat";
import { ADMIN_STATE, MCP_TEST_URL } from "./support/constants";

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
  await new ChatPage(page).startNew(model, serverName);
  const message = page.getByRole("textbox", { name: "Message" });
  await message.fill(`Please greet the team ${key}`);
  await message.press("Enter");
  await expect(page).toHaveURL(/\/chat\/[0-9a-f-]{36}$/);

  // The turn pauses: the card names the tool and server, shows the intent and the arguments.
  const conversation = page.getByRole("region", { name: "Messages" });
  const card = conversation.getByRole("region", { name: `Run echo on ${serverName}?` });
  await expect(card).toBeVisible({ timeout: 30_000 });
  await expect(card.getByText("Greeting the team")).toBeVisible();
  await expect(card.getByText("Waiting for you")).toBeVisible();
  const text = card.getByRole("textbox", { name: "text (required)" });
  await expect(text).toHaveValue("hello");
  // The chat list marks the chat as waiting.
  await expect(page.getByText("(waiting for you)").first()).toBeAttached();

  // An empty required argument is caught before anything is sent.
  await text.fill("");
  await card.getByRole("button", { name: "Approve" }).click();
  await expect(card.getByText("text is required")).toBeVisible();

  // Edit with the keyboard and approve: the answer streams in.
  await text.fill("hello, edited by a person");
  await text.press("Enter");
  await expect(conversation.getByText(`The echo came back ${key}.`)).toBeVisible({
    timeout: 30_000,
  });
  await expect(card.getByText("Approved")).toBeVisible();
  // The call ran with the edited argument.
  await conversation.getByRole("button", { name: /Show details for Greeting the team/ }).click();
  await expect(conversation.getByText("hello, edited by a person").first()).toBeVisible();

  // The reloaded chat shows the same.
  await page.reload();
  const reloaded = page.getByRole("region", { name: "Messages" });
  await expect(reloaded.getByText(`The echo came back ${key}.`)).toBeVisible();
  await expect(
    reloaded.getByRole("region", { name: `Run echo on ${serverName}?` }).getByText("Approved"),
  ).toBeVisible();

  // Another call, denied: the model is told and answers without it.
  await page.getByRole("textbox", { name: "Message" }).fill("Once more, please");
  await page.getByRole("button", { name: "Send message" }).click();
  const second = reloaded
    .getByRole("region", { name: `Run echo on ${serverName}?` })
    .filter({ hasText: "Greeting once more" });
  await expect(second).toBeVisible({ timeout: 30_000 });
  await second.getByRole("button", { name: "Deny" }).click();
  await expect(reloaded.getByText(`Understood, nothing was sent ${key}.`)).toBeVisible({
    timeout: 30_000,
  });
  await expect(second.getByText("Declined")).toBeVisible();

  // The admin finds the declined call in the audit and downloads the filtered CSV.
  await adminPage.goto("/admin/audit");
  await expect(adminPage.getByRole("heading", { name: "Audit", level: 1 })).toBeVisible();
  const filters = adminPage.getByRole("form", { name: "Filter tool calls" });
  await filters.getByLabel("Server").selectOption({ label: serverName });
  await filters.getByLabel("Decision").selectOption("declined");
  await filters.getByRole("button", { name: "Apply filters" }).click();
  const table = adminPage.getByRole("table", { name: "Tool calls" });
  await expect(table.getByRole("row")).toHaveCount(2);
  await expect(table.getByText("declined")).toBeVisible();
  await table.getByRole("button", { name: /Details of the echo call/ }).click();
  const drawer = adminPage.getByRole("dialog", { name: "Tool call" });
  await expect(drawer.getByText("Greeting once more")).toBeVisible();
  await adminPage.keyboard.press("Escape");

  const [download] = await Promise.all([
    adminPage.waitForEvent("download"),
    adminPage.getByRole("link", { name: "Download CSV" }).click(),
  ]);
  const csv = fs.readFileSync((await download.path())!, "utf8");
  const lines = csv.trim().split("\r\n");
  expect(lines[0]).toContain("input_sha256");
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain("declined");
  // Only the hash of the arguments, never the arguments.
  expect(csv).not.toContain("again");
});
