import "server-only";
// What the workspace built-ins share: finding the chat's workspace and failing helpfully.
import { findOwnChat } from "@/db/queries/chats";
import { findOwnWorkspace, type WorkspaceRow } from "@/db/queries/workspaces";
import type { ToolFailure } from "./refusal";
import type { BuiltinContext } from "./types";

export const fail = (code: string, text: string): ToolFailure => ({ is_error: true, code, text });

export const NO_WORKSPACE =
  "This chat has no workspace yet. Call create_workspace (list_templates shows the templates) " +
  "to create one, then retry.";

/**
 * The chat's workspace, read fresh (create_workspace may have attached one earlier in this
 * turn); a sub-agent works in its parent's workspace.
 */
export async function chatWorkspace(
  ctx: Pick<BuiltinContext, "db" | "chat" | "ownerId">,
): Promise<WorkspaceRow | undefined> {
  const chat = (await findOwnChat(ctx.db, ctx.ownerId, ctx.chat.id)) ?? ctx.chat;
  let id = chat.workspaceId;
  if (!id && chat.parentChatId) {
    id = (await findOwnChat(ctx.db, ctx.ownerId, chat.parentChatId))?.workspaceId ?? null;
  }
  return id ? findOwnWorkspace(ctx.db, ctx.ownerId, id) : undefined;
}
