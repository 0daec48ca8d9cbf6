// Admin and account journeys of everyday use: sign-in returns to the page asked for (and never
// off-site), unsaved server edits ask before they are lost, renaming a user, a provider's model
// list and Test button, and the read-only workspace file browser with the chat's plan file.
import fs from "node:fs/promises";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { AppShell } from "./pages/app-shell";
import { ChatPage } from "./pages/chat-page";
import { LoginPage } from "./pages/login-page";
import { McpServerEditorPage, McpServerListPage } from "./pages/mcp-servers-page";
import { ProvidersPage } from "./pages/providers-page";
import { UsersPage } from "./pages/users-page";
import { apiPost, SAME_ORIGIN } from "./support/api";
import { createFakeModel, createMcpServer, deadMcpUrl } from "./support/chat";
import { ADMIN, ADMIN_STATE, APP_URL, FAKE_MODEL_URL, MCP_TEST_URL } from "./support/constants";
import { hydrationErrors, reload, visit } from "./support/hydration";

const stamp = () => `${Date.now()}${Math.floor(Math.random() * 1000)}`;

test.describe("signed out", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("sign-in returns to the page that was asked for", async ({ page }) => {
    await page.goto("/admin/mcp-servers");
    await expect(page).toHaveURL(`${APP_URL}/login?callbackUrl=%2Fadmin%2Fmcp-servers`);
    await new LoginPage(page).submit(ADMIN.email, ADMIN.password);
    await expect(page).toHaveURL(`${APP_URL}/admin/mcp-servers`);
    await expect(new McpServerListPage(page).heading).toBeVisible();
  });

  for (const hostile of [
    "https://evil.example/phish",
    "//evil.example/phish",
    "/\\evil.example/phish",
    "javascript:alert(1)",
  ]) {
    test(`a hostile callbackUrl (${hostile}) lands on the app`, async ({ page }) => {
      const login = new LoginPage(page);
      await login.goto(`?callbackUrl=${encodeURIComponent(hostile)}`);
      await login.submit(ADMIN.email, ADMIN.password);
      await expect(page).toHaveURL(`${APP_URL}/chat`);
      expect(new URL(page.url()).origin).toBe(APP_URL);
    });
  }
});

test.describe("as admin", () => {
  test.use({ storageState: ADMIN_STATE });

  test("unsaved edits on a server ask before leaving", async ({ page, context }) => {
    const s = stamp();
    const server = await createMcpServer(page.request, {
      name: `Guarded ${s}`,
      slug: `guarded-${s.slice(-8)}`,
      url: MCP_TEST_URL,
    });
    const editor = new McpServerEditorPage(page);
    const shell = new AppShell(page);
    await editor.goto(server.id);
    await editor.expectLoaded(`Guarded ${s}`);

    // Nothing changed: links just work.
    await shell.mainNavLink("Users").click();
    await expect(page).toHaveURL(/\/admin\/users$/);
    await page.goBack();
    await editor.expectLoaded(`Guarded ${s}`);

    await editor.displayName.fill(`Guarded ${s} renamed`);
    await expect(editor.unsavedChanges).toBeVisible();
    await shell.mainNavLink("MCP servers").click();
    const prompt = editor.leavePrompt;
    await expect(prompt).toBeVisible();
    await prompt.getByRole("button", { name: "Stay on this page" }).click();
    await expect(prompt).toBeHidden();
    await expect(page).toHaveURL(new RegExp(`/admin/mcp-servers/${server.id}$`));
    await expect(editor.displayName).toHaveValue(`Guarded ${s} renamed`);

    // The form's own "Back to list" link is caught too; leaving discards.
    await editor.backToListLink.click();
    await expect(prompt).toBeVisible();
    await prompt.getByRole("button", { name: "Discard changes and leave" }).click();
    await expect(page).toHaveURL(/\/admin\/mcp-servers$/);
    const stored = await (await page.request.get(`/api/mcp/servers/${server.id}`)).json();
    expect(stored.display_name).toBe(`Guarded ${s}`);

    // Closing the tab with unsaved edits asks the browser's own question.
    const other = new McpServerEditorPage(await context.newPage());
    await other.goto(server.id);
    await other.expectLoaded(`Guarded ${s}`);
    await other.displayName.fill(`Guarded ${s} again`);
    const asked = other.page.waitForEvent("dialog");
    await other.page.close({ runBeforeUnload: true });
    const dialog = await asked;
    expect(dialog.type()).toBe("beforeunload");
    await dialog.accept();

    // Saved edits leave freely.
    await editor.goto(server.id);
    await editor.expectLoaded(`Guarded ${s}`);
    await editor.displayName.fill(`Guarded ${s} saved`);
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(editor.unsavedChanges).toBeHidden();
    await shell.mainNavLink("Users").click();
    await expect(page).toHaveURL(/\/admin\/users$/);
    await expect(prompt).toHaveCount(0);
  });

  test("renames a user from the users page", async ({ page }) => {
    const s = stamp();
    const email = `rename-${s}@example.com`;
    await apiPost(page.request, "/api/users", {
      email,
      name: "Before Name",
      password: "member-password",
      role: "member",
    });
    const users = new UsersPage(page);
    await users.goto();
    const row = users.row(email);
    const dialog = await users.openRename(email, "Before Name");
    await expect(dialog.getByLabel("Name")).toHaveValue("Before Name");
    await dialog.getByLabel("Name").fill("   ");
    await dialog.getByRole("button", { name: "Save name" }).click();
    await expect(dialog.getByText("Name is required")).toBeVisible();
    await dialog.getByLabel("Name").fill("After Name");
    await dialog.getByRole("button", { name: "Save name" }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByText("Renamed to After Name")).toBeVisible();
    await expect(row.getByRole("cell").first()).toHaveText("After Name");
    await reload(page);
    await expect(users.row(email)).toContainText("After Name");
  });

  test("lists a provider's models from its API and tests it", async ({ page }) => {
    const s = stamp();
    const name = `Listed ${s}`;
    const providers = new ProvidersPage(page);
    await providers.goto();
    const dialog = await providers.openAdd();
    await dialog.getByLabel("Display name").fill(name);

    // A URL where nothing answers: a clear error, nothing listed.
    const dead = (await deadMcpUrl()).replace(/\/mcp$/, "/v1");
    await dialog.getByLabel("Base URL").fill(dead);
    await providers.listModelsButton.click();
    const failed = dialog.getByRole("alert").filter({ hasText: "Could not list models" });
    await expect(failed).toContainText("could not be reached");

    await dialog.getByLabel("Base URL").fill(FAKE_MODEL_URL);
    await providers.listModelsButton.click();
    const offered = providers.offeredModels;
    await expect(offered.getByRole("checkbox")).toHaveCount(2);
    await offered.getByRole("checkbox", { name: "fake-model-large" }).check();
    await expect(dialog.getByRole("textbox", { name: "Models", exact: true })).toHaveValue(
      "fake-model-large",
    );
    await expect(dialog.getByRole("combobox", { name: "Default model" })).toHaveText(
      "fake-model-large",
    );
    await dialog.getByRole("button", { name: "Add provider" }).click();
    await expect(dialog).toBeHidden();

    await expect(await providers.test(name)).toContainText(
      /Works: fake-model-large answered in \d+ ms/,
    );

    // A saved provider lists through its own stored settings when edited.
    await providers.openEdit(name);
    await providers.listModelsButton.click();
    await expect(offered.getByRole("checkbox", { name: "fake-model-large" })).toBeChecked();
    await expect(
      offered.getByRole("checkbox", { name: "fake-model", exact: true }),
    ).not.toBeChecked();
    await dialog.getByRole("button", { name: "Cancel" }).click();

    // A provider that does not answer: the Test button says so.
    const deadName = `Dead ${s}`;
    await apiPost(page.request, "/api/model-providers", {
      kind: "openai-compatible",
      display_name: deadName,
      base_url: dead,
      models: ["m"],
    });
    await reload(page);
    await expect(await providers.test(deadName)).toContainText("m: 127.0.0.1");
  });

  test("browses the chat's workspace read-only, plan file marked", async ({ page }, testInfo) => {
    const s = stamp();
    const model = await createFakeModel(page.request, "files");
    const workspace = await apiPost<{ id: string }>(page.request, "/api/workspaces", {
      name: `files-${s.slice(-6)}`,
      template: "sample-node",
    });
    try {
      const models = (await (await page.request.get("/api/models")).json()) as {
        id: string;
        name: string;
      }[];
      const chat = await apiPost<{ id: string }>(page.request, "/api/chats", {
        model: models.find((m) => m.name === model)!.id,
        workspace_id: workspace.id,
      });
      // What a plan-mode turn and the workspace's own commands would leave behind.
      const dir = path.join(process.env.E2E_DATA_DIR!, "workspaces", workspace.id);
      await fs.mkdir(path.join(dir, ".toolgate", "plans"), { recursive: true, mode: 0o755 });
      await fs.chmod(path.join(dir, ".toolgate"), 0o755);
      await fs.chmod(path.join(dir, ".toolgate", "plans"), 0o755);
      await fs.writeFile(
        path.join(dir, ".toolgate", "plans", `${chat.id}.md`),
        "# Plan\n\n1. Store invoices in Postgres\n",
        { mode: 0o644 },
      );
      await fs.writeFile(path.join(dir, "logo.bin"), Buffer.from([0x89, 0x50, 0, 0, 1]), {
        mode: 0o644,
      });
      await fs.symlink("/etc/hostname", path.join(dir, "escape"));

      const chatPage = new ChatPage(page);
      await chatPage.goto(chat.id);
      const { tree, viewer } = await chatPage.openWorkspaceFiles();
      await expect(viewer.getByText("No file open")).toBeVisible();
      await expect(tree.getByRole("button", { name: "src (folder)" })).toBeVisible();
      await expect(tree.getByRole("button", { name: ".toolgate (folder)" })).toContainText("Plan");

      await tree.getByRole("button", { name: "Plan of this chat", exact: true }).click();
      await expect(
        viewer.getByRole("heading", { name: `.toolgate/plans/${chat.id}.md` }),
      ).toBeVisible();
      await expect(viewer).toContainText("1. Store invoices in Postgres");
      await tree.getByRole("button", { name: ".toolgate (folder)" }).click();
      await tree.getByRole("button", { name: "plans (folder)" }).click();
      await expect(
        tree.getByRole("button", { name: `${chat.id}.md (plan of this chat)` }),
      ).toHaveAttribute("aria-current", "true");

      await tree.getByRole("button", { name: "src (folder)" }).click();
      await expect(tree.getByRole("button", { name: "src (folder)" })).toHaveAttribute(
        "aria-expanded",
        "true",
      );
      await tree.getByRole("button", { name: "index.js" }).click();
      const code = viewer.locator("[data-lang=javascript] code");
      await expect(code).toBeVisible();
      // Highlighted by the same lowlight setup as the chat's code blocks.
      await expect(code.locator("[class^=hljs-]").first()).toBeVisible();
      await expect(viewer.getByRole("button", { name: "Copy code" })).toBeVisible();

      await tree.getByRole("button", { name: "logo.bin" }).click();
      await expect(viewer.getByRole("status")).toHaveText(
        "This looks like a binary file, so it is not shown here.",
      );
      await tree.getByRole("button", { name: "escape (link)" }).click();
      await expect(viewer.getByRole("alert")).toContainText("outside the workspace");
      await testInfo.attach("workspace-files-1280", {
        body: await page.screenshot(),
        contentType: "image/png",
      });
      // At phone width the tree sits above the viewer and both stay usable.
      await page.setViewportSize({ width: 390, height: 844 });
      await tree.getByRole("button", { name: "Plan of this chat", exact: true }).click();
      await expect(viewer).toContainText("1. Store invoices in Postgres");
      await expect(tree.getByRole("button", { name: "src (folder)" })).toBeInViewport();
      await testInfo.attach("workspace-files-390", {
        body: await page.screenshot(),
        contentType: "image/png",
      });
    } finally {
      const res = await page.request.post(`/api/workspaces/${workspace.id}/stop`, {
        headers: SAME_ORIGIN,
      });
      expect(res.status(), await res.text()).toBe(200);
    }
  });
});

// The browser in another zone and language than the server: times must not make React discard
// the server's HTML.
test.describe("as admin, far from the server", () => {
  test.use({ storageState: ADMIN_STATE, timezoneId: "Pacific/Auckland", locale: "de-DE" });

  test("admin pages arrive rendered with their stored data and hydrate cleanly", async ({
    page,
  }) => {
    const s = stamp();
    const server = `Rendered ${s}`;
    await createMcpServer(page.request, {
      name: server,
      slug: `rendered-${s}`,
      url: await deadMcpUrl(),
    });
    const provider = await createFakeModel(page.request, "rendered");
    const token = `token-${s}`;
    await apiPost(page.request, "/api/tokens", { name: token });
    const errors = hydrationErrors(page);
    const pages: [path: string, stored: string | null][] = [
      ["/admin/users", ADMIN.email],
      ["/admin/mcp-servers", server],
      ["/admin/providers", provider],
      ["/admin/audit", null],
      ["/admin/settings", null],
      ["/settings", token],
    ];
    for (const [path, stored] of pages) {
      if (stored !== null) {
        // In the page's own HTML, not only in its script data.
        const html = await (await page.request.get(path)).text();
        expect(html.replace(/<script[\s\S]*?<\/script>/g, ""), path).toContain(stored);
      }
      await visit(page, path);
      await expect(page.getByRole("heading", { level: 1 }).first(), path).toBeVisible();
      if (stored !== null) await expect(page.getByText(stored).first(), path).toBeVisible();
    }
    expect(errors).toEqual([]);
  });
});
