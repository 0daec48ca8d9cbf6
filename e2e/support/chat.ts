// Helpers the chat specs share: a fake model, MCP servers, a member's page, a new chat.
import { createServer as createTcpServer } from "node:net";
import { expect, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { apiPost } from "./api";
import { signIn } from "./auth";
import { FAKE_MODEL_URL } from "./constants";

/** A provider pointing at the fake model, with a model name no other spec uses. */
export async function createFakeModel(request: APIRequestContext, stamp: string): Promise<string> {
  const model = `fake-model-${stamp}`;
  await apiPost(request, "/api/model-providers", {
    kind: "openai-compatible",
    display_name: `E2E fake ${stamp}`,
    base_url: FAKE_MODEL_URL,
    models: [model],
    default_model: model,
  });
  return model;
}

/** A loopback URL where nothing listens: a port that was free a moment ago. */
export async function deadMcpUrl(): Promise<string> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/mcp`;
}

/** A fresh member, signed in in a context of their own. */
export async function memberPage(browser: Browser, admin: APIRequestContext, stamp: string) {
  const member = {
    name: "Chat Member",
    email: `chat-member-${stamp}@example.com`,
    password: "member-password",
  };
  await apiPost(admin, "/api/users", { ...member, role: "member" });
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await signIn(page, member.email, member.password);
  return page;
}

export async function createMcpServer(
  request: APIRequestContext,
  input: { name: string; slug: string; url: string; modelIntent?: boolean },
): Promise<{ id: string; slug: string }> {
  return apiPost(request, "/api/mcp/servers", {
    display_name: input.name,
    slug: input.slug,
    description: "Tools for the chat end-to-end test.",
    url: input.url,
    transport: "streamable_http",
    availability: "default_off",
    enabled: true,
    model_intent: input.modelIntent ?? false,
  });
}

/**
 * Opens a new chat with the test model and, when named, exactly that server picked among
 * default_off ones.
 */
export async function startChat(page: Page, model: string, serverName?: string) {
  await page.goto("/chat");
  await expect(page.getByRole("heading", { name: "New chat", level: 1 })).toBeVisible();
  await page.getByRole("combobox", { name: "Model" }).click();
  await page.getByRole("option", { name: model, exact: true }).click();
  if (serverName === undefined) return;
  await page.getByRole("button", { name: /MCP servers/ }).click();
  const picker = page.getByRole("menu", { name: "MCP servers" });
  const item = picker.getByRole("menuitemcheckbox", { name: new RegExp(serverName) });
  await expect(item).toHaveAttribute("aria-checked", "false");
  await item.click();
  await expect(item).toHaveAttribute("aria-checked", "true");
  await page.keyboard.press("Escape");
  await expect(picker).toBeHidden();
}
