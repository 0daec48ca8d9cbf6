// What the chat journeys set up through the API: a fake model, MCP servers, a member.
import { createServer as createTcpServer } from "node:net";
import type { APIRequestContext, Browser } from "@playwright/test";
import { LoginPage } from "../pages/login-page";
import { apiPost } from "./api";
import { FAKE_MODEL_URL, FIXTURE_HOST } from "./constants";
import { unique, uniqueEmail } from "./names";

/** A provider pointing at the fake model, with a model name no other test uses. */
export async function createFakeModel(
  request: APIRequestContext,
  label = "model",
): Promise<string> {
  const model = unique(label);
  await apiPost(request, "/api/model-providers", {
    kind: "openai-compatible",
    display_name: model,
    base_url: FAKE_MODEL_URL,
    models: [model],
    default_model: model,
  });
  return model;
}

/** A URL on the fixtures' host where nothing listens: a port that was free a moment ago. */
export async function deadMcpUrl(): Promise<string> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://${FIXTURE_HOST}:${port}/mcp`;
}

/** Creates a member through the API. */
export async function createMember(admin: APIRequestContext, label = "member") {
  const member = { name: "Chat Member", email: uniqueEmail(label), password: "member-password" };
  await apiPost(admin, "/api/users", { ...member, role: "member" });
  return member;
}

/** A fresh member, signed in in a browser context of their own. */
export async function memberPage(browser: Browser, admin: APIRequestContext, label = "member") {
  const member = await createMember(admin, label);
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await new LoginPage(page).signIn(member.email, member.password);
  return page;
}

/** An enabled, default_off Streamable HTTP server; its slug is `name` unless given. */
export async function createMcpServer(
  request: APIRequestContext,
  input: {
    name: string;
    slug?: string;
    url: string;
    modelIntent?: boolean;
    extra?: Record<string, unknown>;
  },
): Promise<{ id: string; slug: string }> {
  return apiPost(request, "/api/mcp/servers", {
    display_name: input.name,
    slug: input.slug ?? input.name,
    description: "Tools for an end-to-end test.",
    url: input.url,
    transport: "streamable_http",
    availability: "default_off",
    enabled: true,
    model_intent: input.modelIntent ?? false,
    ...input.extra,
  });
}
