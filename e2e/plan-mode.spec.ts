// The seeds' end-to-end flow: an admin approves an MCP server for plan mode; a member plans in
// a chat with a workspace, answers the model's questions in a form, gets the plan file proposed
// and implements it with a normal turn.
import { expect, test } from "@playwright/test";
import { ChatPage } from "./pages/chat-page";
import { LoginPage } from "./pages/login-page";
import { apiPost, modelRequests, SAME_ORIGIN, scriptModel } from "./support/api";
import { createFakeModel, createMcpServer, createMember } from "./support/chat";
import { ADMIN_STATE, MCP_TEST_URL } from "./support/constants";
import { needsFixtures } from "./support/deployment";
import { unique } from "./support/names";
import { reload } from "./support/hydration";

test.use({ storageState: ADMIN_STATE });
test.beforeEach(() => needsFixtures());

// Workspaces run their own agent process, detached so it survives an app restart: a test that
// starts one stops it, even when it fails half-way.
const cleanups: (() => Promise<void>)[] = [];
test.afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

test("a member plans with an approved MCP tool, answers questions and implements the plan", async ({
  page: adminPage,
  browser,
}) => {
  test.setTimeout(180_000);
  const approvedSlug = unique("plan");
  const otherSlug = unique("noplan");
  const key = `${approvedSlug}-key`;
  const stamp = approvedSlug;
  const admin = adminPage.request;

  // Admin: a model on the fake server, one server approved for plan mode and one not.
  const model = await createFakeModel(admin);
  const server = (slug: string, allow: boolean) =>
    createMcpServer(admin, {
      name: `E2E ${slug}`,
      slug,
      url: MCP_TEST_URL,
      extra: { tool_allow_list: ["echo", "read_docs"], allow_in_plan_mode: allow },
    });
  const approved = await server(approvedSlug, true);
  const other = await server(otherSlug, false);

  // Member: signs in, gets a workspace and a chat bound to it with both servers picked.
  const member = await createMember(admin, "plan-member");
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  cleanups.push(() => context.close());
  await new LoginPage(page).signIn(member.email, member.password);
  const workspace = await apiPost<{ id: string; status: string }>(page.request, "/api/workspaces", {
    name: unique("plans"),
    template: "empty",
  });
  cleanups.push(async () => {
    const res = await page.request.post(`/api/workspaces/${workspace.id}/stop`, {
      headers: SAME_ORIGIN,
    });
    expect(res.status(), await res.text()).toBe(200);
  });
  expect(workspace.status).toBe("running");
  const providers = await (await admin.get("/api/models")).json();
  const modelId = (providers as { id: string; name: string }[]).find((m) => m.name === model)!.id;
  const chat = await apiPost<{ id: string }>(page.request, "/api/chats", {
    model: modelId,
    workspace_id: workspace.id,
    mcp_server_ids: [approved.id, other.id],
  });
  const planPath = `.toolgate/plans/${chat.id}.md`;

  await scriptModel(key, [
    // Turn 1 (plan mode): the approved MCP tool, then questions for the user.
    {
      toolCalls: [{ name: `${approvedSlug}__read_docs`, arguments: { topic: "billing" } }],
    },
    {
      toolCalls: [
        {
          name: "ask_user_question",
          arguments: {
            questions: [
              {
                header: "Storage",
                question: "Where should invoices be stored?",
                options: [
                  { label: "Postgres", description: "Next to the other data" },
                  { label: "Object storage" },
                ],
              },
              {
                question: "Which exports are needed?",
                options: [{ label: "CSV" }, { label: "PDF" }],
                multi_select: true,
              },
            ],
          },
        },
      ],
    },
    // Turn 2 (the answers): write the plan file, propose it.
    {
      toolCalls: [
        {
          name: "write_file",
          arguments: {
            path: planPath,
            content: `# Invoice plan ${stamp}\n\n1. Store invoices in **Postgres**.\n2. Export CSV and XLSX.\n`,
          },
        },
      ],
    },
    { toolCalls: [{ name: "propose_plan", arguments: {} }] },
    // Turn 3 (Implement plan): a normal turn.
    { text: `Implementing the invoice plan ${stamp}.` },
  ]);

  const chatPage = new ChatPage(page);
  await chatPage.goto(chat.id);
  const planSwitch = chatPage.planSwitch;
  await planSwitch.click();
  await expect(planSwitch).toBeChecked();
  await chatPage.send(`Plan invoice storage ${key}`);

  const conversation = chatPage.conversation;
  // The approved tool ran; the form shows both questions with an "Other" choice each.
  const form = chatPage.questionForm(/2 questions for you/);
  await expect(form).toBeVisible({ timeout: 30_000 });
  await expect(conversation.getByText(`E2E ${approvedSlug}`).first()).toBeVisible();
  const storage = form.getByRole("group", { name: /Where should invoices be stored/ });
  const exports = form.getByRole("group", { name: /Which exports are needed/ });
  await expect(storage.getByRole("radio")).toHaveCount(3);
  await expect(exports.getByRole("checkbox")).toHaveCount(3);
  // Submitting incomplete answers is refused in place.
  await form.getByRole("button", { name: "Submit answers" }).click();
  await expect(form.getByRole("alert").first()).toHaveText("Choose an answer.");
  await storage.getByRole("radio", { name: /Postgres/ }).check();
  await exports.getByRole("checkbox", { name: "CSV" }).check();
  await exports.getByRole("checkbox", { name: "Other" }).check();
  await exports.getByRole("textbox", { name: /Your answer/ }).fill("XLSX");
  await chatPage.expectAccessible("The question form");
  await form.getByRole("button", { name: "Submit answers" }).click();

  // The answers go out as the next user message, still in plan mode.
  await expect(conversation.getByText("My answers to your questions:")).toBeVisible();
  await expect(conversation.getByText("Answer: CSV; Other: XLSX")).toBeVisible();
  const plan = chatPage.proposedPlan;
  await expect(plan).toBeVisible({ timeout: 30_000 });
  await expect(plan.getByText(`Invoice plan ${stamp}`)).toBeVisible();
  await expect(plan.locator("strong", { hasText: "Postgres" })).toBeVisible();
  await expect(plan.getByText(planPath)).toBeVisible();
  // Built-in calls show while the turn runs (live), as they do after a reload.
  await expect(conversation.locator('[data-tool-name="write_file"]')).toBeVisible();
  await chatPage.expectAccessible("The proposed plan");
  // The old form is closed now.
  await expect(conversation.getByRole("button", { name: "Submit answers" })).toHaveCount(0);

  // Plan turns were offered the approved server only.
  const requests = await modelRequests(key);
  expect(requests[0]!.toolNames).toContain(`${approvedSlug}__read_docs`);
  expect(requests[0]!.toolNames.some((n) => n.startsWith(`${otherSlug}__`))).toBe(false);
  expect(requests[0]!.toolNames).toContain("propose_plan");

  await plan.getByRole("button", { name: "Implement plan" }).click();
  await chatPage.expectAnswer(`Implementing the invoice plan ${stamp}.`);
  await expect(planSwitch).not.toBeChecked();
  const userMessages = chatPage.userMessages;
  await expect(userMessages.last()).toContainText("Implement the plan.");
  await expect(userMessages.last().getByText("Plan mode")).toHaveCount(0);
  await expect(userMessages.first().getByText("Plan mode")).toBeVisible();
  const implement = (await modelRequests(key)).at(-1)!;
  expect(implement.toolNames).toContain(`${otherSlug}__echo`);
  expect(implement.toolNames).not.toContain("propose_plan");
  await expect(plan.getByRole("button", { name: "Implement plan" })).toHaveCount(0);

  // Reloaded, the stored plan and answers render the same way.
  await reload(page);
  await expect(chatPage.proposedPlan).toBeVisible();
  await expect(conversation.getByText("Answer: CSV; Other: XLSX")).toBeVisible();
});
