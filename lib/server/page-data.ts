import "server-only";
// What the pages under app/(app) read on the server for their first render, so a reload shows
// stored content at once (docs/architecture.md, "How pages load their data"). Each loader
// answers exactly what its GET route answers the same caller: the same service functions, the
// same authorization, the value as the route's JSON body carries it. A loader answers null
// where the route would refuse (404, 403, a malformed id); the page then shows what the route's
// refusal shows. Nothing here reaches an MCP server, a model provider or a workspace agent:
// those answers wait for the browser, so the first byte never waits on them.
import { z } from "zod";
import type { Database } from "@/db/client";
import { loggableError } from "@/db/queries/errors";
import { listUsers, userJson } from "@/lib/auth/users";
import { apiTokenJson, listTokens } from "@/lib/auth/tokens";
import type { Caller } from "@/lib/auth/caller";
import type { ApiToken, Me, User } from "@/lib/auth/wire";
import { chatWithBranches } from "@/lib/chat/branches";
import { getOwnChat, listChats } from "@/lib/chat/service";
import { listToolCalls } from "@/lib/chat/tool-audit-api";
import type { Chat, ChatWithMessages } from "@/lib/chat/wire";
import { ApiError } from "@/lib/errors";
import { listModelOptions } from "@/lib/llm/registry";
import { catalogueJson } from "@/lib/mcp-config/catalogue-admin";
import { serverListJson } from "@/lib/mcp-config/server-list";
import { getVisibleServer, serverJsonFor } from "@/lib/mcp-config/service";
import type { McpServerConfig } from "@/lib/mcp-config/wire";
import { listProviders } from "@/lib/model-providers/service";
import type { ModelOption, ModelProvider } from "@/lib/model-providers/wire";
import { listChatsQuery } from "@/lib/schemas/chats";
import { listToolAuditQuery } from "@/lib/schemas/approvals";
import { getAppSettings } from "@/lib/settings/app-settings";
import { getWorkspaceMcpSettings } from "@/lib/settings/workspace-mcp";

/** The value as a JSON body carries it: dates as strings, undefined fields left out. */
export function asWire<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

const isUuid = (id: string) => z.guid().safeParse(id).success;
const refused = (err: unknown) =>
  err instanceof ApiError && (err.status === 404 || err.status === 403);

/** Runs `load` as the route would for `caller`; null where the route answers 404 or 403. */
async function unlessRefused<T>(load: () => Promise<T>): Promise<T | null> {
  try {
    return asWire(await load());
  } catch (err) {
    if (refused(err)) return null;
    throw err;
  }
}

const adminOnly = async <T>(caller: Caller, load: () => Promise<T>): Promise<T | null> =>
  caller.role === "admin" ? asWire(await load()) : null;

/** GET /api/users/me */
export function meData(caller: Caller): Me {
  return {
    id: caller.id,
    email: caller.email,
    name: caller.name,
    role: caller.role,
    login_type: caller.loginType,
  };
}

/** GET /api/chats/:id: the caller's own chat with its current branch; null for anyone else's. */
export async function chatData(
  db: Database,
  caller: Caller,
  id: string,
): Promise<ChatWithMessages | null> {
  if (!isUuid(id)) return null;
  return unlessRefused(async () => chatWithBranches(db, await getOwnChat(db, caller, id)));
}

/** GET /api/chats?limit=`limit`: the first page of the caller's chats. */
export async function chatListData(
  db: Database,
  caller: Caller,
  limit: number,
): Promise<{ chats: Chat[]; next_cursor: string | null }> {
  return asWire(await listChats(db, caller, listChatsQuery.parse({ limit: String(limit) })));
}

/** GET /api/models */
export async function modelsData(db: Database): Promise<ModelOption[]> {
  return asWire(await listModelOptions(db));
}

/** GET /api/mcp/servers: enabled servers for members (redacted), every server for admins. */
export async function mcpServersData(db: Database, caller: Caller): Promise<McpServerConfig[]> {
  // The route's own body (built once per config snapshot), so the two cannot differ.
  return JSON.parse(await serverListJson(db, caller)) as McpServerConfig[];
}

/** GET /api/mcp/servers/:id */
export async function mcpServerData(
  db: Database,
  caller: Caller,
  id: string,
): Promise<McpServerConfig | null> {
  if (!isUuid(id)) return null;
  return unlessRefused(async () =>
    serverJsonFor(db, caller, await getVisibleServer(db, caller, id)),
  );
}

/** GET /api/mcp/servers/:id/tools (admin; the stored catalogue, never `?refresh=true`). */
export async function serverToolsData(db: Database, caller: Caller, id: string) {
  if (caller.role !== "admin" || !isUuid(id)) return null;
  return unlessRefused(async () => catalogueJson(db, (await getVisibleServer(db, caller, id)).id));
}

/** GET /api/users (admin) */
export function usersData(db: Database, caller: Caller): Promise<User[] | null> {
  return adminOnly(caller, async () => (await listUsers(db)).map(userJson));
}

/** GET /api/model-providers (admin) */
export function providersData(db: Database, caller: Caller): Promise<ModelProvider[] | null> {
  return adminOnly(caller, () => listProviders(db));
}

/** GET /api/admin/settings (admin) */
export function appSettingsData(db: Database, caller: Caller) {
  return adminOnly(caller, () => getAppSettings(db));
}

/** GET /api/admin/settings/workspace-mcp (admin) */
export function workspaceMcpSettingsData(db: Database, caller: Caller) {
  return adminOnly(caller, () => getWorkspaceMcpSettings(db));
}

/** GET /api/admin/audit/tool-calls with no filter: the newest page (admin). */
export function toolAuditData(db: Database, caller: Caller) {
  return adminOnly(caller, () => listToolCalls(db, listToolAuditQuery.parse({})));
}

/** GET /api/tokens: the caller's own API tokens. */
export async function tokensData(db: Database, caller: Caller): Promise<ApiToken[]> {
  return asWire((await listTokens(db, caller.id)).map(apiTokenJson));
}

/**
 * A loader that failed for an unexpected reason (the database away) leaves its query to the
 * browser, whose fetch shows the error with a retry as before: undefined, never a broken page.
 */
export async function orClientFetch<T>(load: Promise<T>): Promise<T | undefined> {
  try {
    return await load;
  } catch (err) {
    console.error("[page] server read failed; the browser will fetch:", loggableError(err));
    return undefined;
  }
}
