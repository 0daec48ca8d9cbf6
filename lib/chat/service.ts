import "server-only";
import type { Database, Executor } from "@/db/client";
import {
  deleteChat,
  findMessage,
  findOwnChat,
  findRunningTurn,
  insertChat,
  listChildChats,
  listOwnChats,
  lockChatLeaf,
  searchOwnChats,
  requestTurnCancel,
  setChatStatus,
  updateChat,
  type ChatCursor,
  type ChatRow,
  type MessageRow,
} from "@/db/queries/chats";
import { listMcpServers } from "@/db/queries/mcp-servers";
import { findOwnWorkspace } from "@/db/queries/workspaces";
import { ApiError, Errors } from "@/lib/errors";
import type { Caller } from "@/lib/auth/caller";
import type { Chat, Message, Part } from "@/lib/chat/wire";
import { resolveModel } from "@/lib/llm/registry";
import { closeForStop } from "./approvals/decide";
import { abortLocalTurn } from "./local-turns";
import { searchSnippet } from "./search-snippet";

export function chatJson(row: ChatRow): Chat {
  return {
    id: row.id,
    title: row.title,
    model: row.model,
    mcp_server_ids: row.mcpServerIds,
    workspace_id: row.workspaceId,
    parent_chat_id: row.parentChatId,
    agent_kind: row.agentKind,
    status: row.status,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

export function messageJson(row: MessageRow): Message {
  return {
    id: row.id,
    role: row.role,
    plan_mode: row.planMode,
    created_at: row.createdAt.toISOString(),
    status: row.status,
    parts: row.parts as Part[],
  };
}

export const chatNotFound = () => Errors.notFound("chat", "chat");

export async function getOwnChat(db: Executor, caller: Caller, id: string): Promise<ChatRow> {
  const chat = await findOwnChat(db, caller.id, id);
  if (!chat) throw chatNotFound();
  return chat;
}

/** Selected servers must be enabled (and so visible to every user); unknown ids are refused. */
export async function checkServerSelection(
  db: Executor,
  ids: readonly string[],
): Promise<string[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  const enabled = new Set((await listMcpServers(db, { enabledOnly: true })).map((s) => s.id));
  const bad = unique.filter((id) => !enabled.has(id));
  if (bad.length > 0) {
    throw new ApiError(
      400,
      "chat.mcp_server_not_allowed",
      "Some selected MCP servers do not exist or are not enabled.",
      bad.map((id) => ({ field: "mcp_server_ids", detail: `${id} is not an enabled MCP server` })),
    );
  }
  return unique;
}

/** A chat may only point at one of its owner's workspaces. */
export async function checkWorkspace(
  db: Executor,
  ownerId: string,
  id: string | null | undefined,
): Promise<string | null> {
  if (!id) return null;
  if (!(await findOwnWorkspace(db, ownerId, id))) {
    throw new ApiError(400, "chat.workspace_not_allowed", "The workspace does not exist.", [
      { field: "workspace_id", detail: "is not one of your workspaces" },
    ]);
  }
  return id;
}

export async function createChat(
  db: Database,
  caller: Caller,
  body: { title?: string; model?: string; mcp_server_ids?: string[]; workspace_id?: string | null },
): Promise<ChatRow> {
  if (body.model) await resolveModel(db, body.model);
  // Like the picker: with no explicit choice, a new chat starts with the default_on servers.
  const ids =
    body.mcp_server_ids !== undefined
      ? await checkServerSelection(db, body.mcp_server_ids)
      : (await listMcpServers(db, { enabledOnly: true }))
          .filter((s) => s.availability === "default_on")
          .map((s) => s.id);
  return insertChat(db, {
    ownerId: caller.id,
    title: body.title ?? "",
    model: body.model ?? null,
    mcpServerIds: ids,
    workspaceId: await checkWorkspace(db, caller.id, body.workspace_id),
  });
}

function encodeCursor(row: ChatRow): string {
  return Buffer.from(JSON.stringify({ u: row.updatedAt.toISOString(), i: row.id })).toString(
    "base64url",
  );
}

function decodeCursor(cursor: string): ChatCursor {
  try {
    const { u, i } = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as {
      u: string;
      i: string;
    };
    const updatedAt = new Date(u);
    if (Number.isNaN(updatedAt.getTime()) || !/^[0-9a-f-]{36}$/i.test(i))
      throw new Error("bad cursor");
    return { updatedAt, id: i };
  } catch {
    throw new ApiError(
      400,
      "validation.invalid",
      "query.cursor is not a cursor this API returned.",
      [{ field: "query.cursor", detail: "is not valid" }],
    );
  }
}

export async function listChats(
  db: Executor,
  caller: Caller,
  opts: { limit: number; cursor?: string; q?: string },
) {
  const { limit } = opts;
  const cursor = opts.cursor ? decodeCursor(opts.cursor) : undefined;
  const next = (rows: ChatRow[]) => (rows.length > limit ? encodeCursor(rows[limit - 1]!) : null);
  if (opts.q) {
    const query = opts.q;
    const rows = await searchOwnChats(db, caller.id, { query, limit, cursor });
    return {
      chats: rows.slice(0, limit).map(({ hitText, ...row }) => ({
        ...chatJson(row),
        search: { snippet: hitText === null ? null : searchSnippet(hitText, query) },
      })),
      next_cursor: next(rows),
    };
  }
  const rows = await listOwnChats(db, caller.id, { limit, cursor });
  return { chats: rows.slice(0, limit).map(chatJson), next_cursor: next(rows) };
}

export async function patchChat(
  db: Database,
  chat: ChatRow,
  body: {
    title?: string;
    model?: string | null;
    mcp_server_ids?: string[];
    workspace_id?: string | null;
  },
): Promise<ChatRow> {
  if (body.model) await resolveModel(db, body.model);
  const patch: Parameters<typeof updateChat>[2] = {};
  if (body.title !== undefined) patch.title = body.title;
  if (body.model !== undefined) patch.model = body.model;
  if (body.mcp_server_ids !== undefined)
    patch.mcpServerIds = await checkServerSelection(db, body.mcp_server_ids);
  if (body.workspace_id !== undefined)
    patch.workspaceId = await checkWorkspace(db, chat.ownerId, body.workspace_id);
  return Object.keys(patch).length > 0 ? updateChat(db, chat.id, patch) : chat;
}

async function cancelTurnOf(db: Executor, chatId: string): Promise<boolean> {
  const turn = await findRunningTurn(db, chatId);
  if (!turn) return false;
  await requestTurnCancel(db, turn.id);
  abortLocalTurn(turn.id);
  return true;
}

/**
 * Asks the running turn to stop: at once on this instance, within a heartbeat elsewhere.
 * Stopping a chat stops its sub-agents too. Reports whether the chat's own turn was running.
 */
export async function cancelRunningTurn(db: Database, chat: ChatRow): Promise<boolean> {
  const cancelled = await cancelTurnOf(db, chat.id);
  for (const child of await listChildChats(db, chat.ownerId, chat.id)) {
    if (child.status === "running") await cancelTurnOf(db, child.id);
  }
  return cancelled || (await stopWaiting(db, chat));
}

/**
 * Stopping a chat that waits for its owner's answers (no turn runs) declines them, so nothing
 * resumes later, and leaves the chat idle. Reports whether anything was waiting.
 */
async function stopWaiting(db: Database, chat: ChatRow): Promise<boolean> {
  return db.transaction(async (tx) => {
    // Under the row lock: a turn that started meanwhile owns the chat, and is not touched.
    await lockChatLeaf(tx, chat.id);
    const now = await findOwnChat(tx, chat.ownerId, chat.id);
    if (now?.status !== "waiting" || (await findRunningTurn(tx, chat.id))) return false;
    await closeForStop(tx, chat.id, chat.ownerId);
    await setChatStatus(tx, chat.id, "idle");
    return true;
  });
}

export async function removeChat(db: Database, caller: Caller, chat: ChatRow): Promise<void> {
  // Sub-agent chats go with their parent (foreign key cascade); their turns stop here too.
  await cancelRunningTurn(db, chat);
  if (!(await deleteChat(db, caller.id, chat.id))) throw chatNotFound();
}

export async function assistantMessage(db: Executor, id: string): Promise<Message> {
  const row = await findMessage(db, id);
  if (!row) throw new Error("assistant message vanished");
  return messageJson(row);
}
