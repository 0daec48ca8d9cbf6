import { z } from "zod";

const serverIds = z
  .array(z.guid("must be a list of server ids"))
  .max(100, "must have at most 100 entries");
const modelId = z.string().trim().min(3).max(300);

export const createChatBody = z.strictObject({
  title: z.string().trim().max(200, "must be at most 200 characters").optional(),
  model: modelId.optional(),
  mcp_server_ids: serverIds.optional(),
  workspace_id: z.guid().nullable().optional(),
});

export const updateChatBody = z.strictObject({
  title: z.string().trim().max(200, "must be at most 200 characters").optional(),
  model: modelId.nullable().optional(),
  mcp_server_ids: serverIds.optional(),
  /** One of the caller's workspaces, or null to detach. */
  workspace_id: z.guid().nullable().optional(),
});

const content = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(100_000, "must be at most 100000 characters");

export const postMessageBody = z.strictObject({
  content,
  plan_mode: z.boolean().default(false),
  mcp_server_ids: serverIds.optional(),
});

/** Editing a question: its new text starts a new branch beside the old one. */
export const editMessageBody = postMessageBody;

/** Regenerating an answer; plan mode absent = the mode the question was asked in. */
export const regenerateMessageBody = z.strictObject({
  plan_mode: z.boolean().optional(),
  mcp_server_ids: serverIds.optional(),
});

export const selectBranchBody = z.strictObject({
  message_id: z.guid("must be a message id"),
});

export const listChatsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(30),
  cursor: z.string().max(200).optional(),
  /** Finds chats by title and message text; blank = the plain list. */
  q: z.string().trim().max(200, "must be at most 200 characters").optional(),
});

export const chatToolsQuery = z.strictObject({
  plan_mode: z.enum(["true", "false"]).default("false"),
});

export const messageParams = z.object({ id: z.guid(), message_id: z.guid() });
