import "server-only";
// Built-in tools for the workspace itself: templates, and creating, starting and stopping the
// chat's workspace. File and process tools live in workspace-tools.ts.
import { z } from "zod";
import { updateChat } from "@/db/queries/chats";
import type { WorkspaceRow } from "@/db/queries/workspaces";
import {
  createAndStartWorkspace,
  startOwnWorkspace,
  stopOwnWorkspace,
} from "@/lib/workspace/service";
import { listTemplates, readTemplate, TemplateNotFoundError } from "@/lib/workspace/templates";
import { refusalsAsResults, ToolRefusal } from "./refusal";
import { defineBuiltin, type BuiltinTool } from "./types";
import { chatWorkspace, fail, NO_WORKSPACE } from "./workspace-context";

const listTemplatesTool = defineBuiltin({
  name: "list_templates",
  description: "List the templates a workspace can be created from.",
  inputSchema: z.strictObject({}),
  async execute() {
    return { templates: await listTemplates() };
  },
});

const readTemplateTool = defineBuiltin({
  name: "read_template",
  description: "Show a workspace template's files and their content.",
  inputSchema: z.strictObject({ name: z.string().min(1).max(64) }),
  async execute(input) {
    try {
      return await readTemplate(input.name);
    } catch (err) {
      if (err instanceof TemplateNotFoundError) {
        return fail("workspace.unknown_template", `${err.message} Call list_templates.`);
      }
      throw err;
    }
  },
});

function summary(row: WorkspaceRow) {
  return {
    id: row.id,
    name: row.name,
    template: row.template,
    status: row.status,
    ...(row.error ? { error: row.error } : {}),
  };
}

const createWorkspaceTool = defineBuiltin({
  name: "create_workspace",
  description:
    "Create a workspace from a template, start it and attach it to this chat, so the file and " +
    "process tools work in it.",
  inputSchema: z.strictObject({
    template: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .describe('Template name from list_templates (default "empty").'),
    name: z.string().trim().min(1).max(100).optional().describe("A short name."),
    replace: z
      .boolean()
      .optional()
      .describe("Set when the chat already has a workspace and you want a new one instead."),
  }),
  async execute(input, ctx) {
    return refusalsAsResults(async () => {
      const existing = await chatWorkspace(ctx);
      if (existing && !input.replace) {
        throw new ToolRefusal(
          "workspace.already_attached",
          `This chat already has the workspace "${existing.name}" (${existing.status}). Use it ` +
            "(start_workspace if it is stopped), or pass replace: true to create a new one.",
        );
      }
      const template = input.template ?? "empty";
      const name = input.name ?? (ctx.chat.title.trim().slice(0, 100) || `Workspace (${template})`);
      const row = await createAndStartWorkspace(ctx.db, ctx.ownerId, { name, template }, "chat");
      await updateChat(ctx.db, ctx.chat.id, { workspaceId: row.id });
      if (row.status !== "running") {
        return {
          ...fail(
            "workspace.start_failed",
            `The workspace was created but did not start: ${row.error ?? "unknown error"}`,
          ),
          workspace: summary(row),
        };
      }
      return { workspace: summary(row), attached_to_chat: true };
    });
  },
});

const startWorkspaceTool = defineBuiltin({
  name: "start_workspace",
  description: "Start this chat's workspace (no-op when it runs).",
  inputSchema: z.strictObject({}),
  async execute(_input, ctx) {
    return refusalsAsResults(async () => {
      const found = await chatWorkspace(ctx);
      if (!found) throw new ToolRefusal("workspace.none", NO_WORKSPACE);
      const row = await startOwnWorkspace(ctx.db, ctx.ownerId, found, "chat");
      if (row.status !== "running") {
        return {
          ...fail(
            "workspace.start_failed",
            `The workspace did not start: ${row.error ?? "unknown error"}`,
          ),
          workspace: summary(row),
        };
      }
      return { workspace: summary(row) };
    });
  },
});

const stopWorkspaceTool = defineBuiltin({
  name: "stop_workspace",
  description:
    "Stop this chat's workspace and every process running in it. Files are kept; " +
    "start_workspace brings it back.",
  inputSchema: z.strictObject({}),
  async execute(_input, ctx) {
    return refusalsAsResults(async () => {
      const found = await chatWorkspace(ctx);
      if (!found) throw new ToolRefusal("workspace.none", "This chat has no workspace.");
      return { workspace: summary(await stopOwnWorkspace(ctx.db, ctx.ownerId, found, "chat")) };
    });
  },
});

export const WORKSPACE_LIFECYCLE_TOOLS: BuiltinTool[] = [
  listTemplatesTool,
  readTemplateTool,
  createWorkspaceTool,
  startWorkspaceTool,
  stopWorkspaceTool,
];
