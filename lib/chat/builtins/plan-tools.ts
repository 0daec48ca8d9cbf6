import { z } from "zod";
import { findOwnChat } from "@/db/queries/chats";
import { findOwnWorkspace } from "@/db/queries/workspaces";
import { askUserQuestionInput } from "@/lib/schemas/questions";
import { AgentRequestError } from "@/lib/workspace/agent-client";
import { runningAgent } from "@/lib/workspace/service";
import {
  normalizeWorkspacePath,
  PLAN_MAX_BYTES,
  planContentProblem,
  planFilePath,
} from "../plan-file";
import { refusalsAsResults, ToolRefusal } from "./refusal";
import { defineBuiltin, type BuiltinTool } from "./types";

const proposePlan = defineBuiltin({
  name: "propose_plan",
  description:
    "Present the plan file of this chat to the user for review. Write the plan first (write_file at the plan file path, refine with edit_files). " +
    "Calling this ends your turn: write nothing after it.",
  inputSchema: z.strictObject({
    path: z
      .string()
      .max(4096)
      .optional()
      .describe("The plan file path; optional, it can only be this chat's plan file."),
  }),
  endsTurn: true,
  execute: (input, ctx) =>
    refusalsAsResults(async () => {
      const path = planFilePath(ctx.chat.id);
      const missing = `Write the plan to ${path} with write_file first, then call propose_plan again.`;
      // Re-read: create_workspace may have attached a workspace earlier in this turn.
      const chat = await findOwnChat(ctx.db, ctx.ownerId, ctx.chat.id);
      if (!chat?.workspaceId) {
        throw new ToolRefusal(
          "workspace.none",
          `This chat has no workspace, so it has no plan file yet. Create and start one (create_workspace, start_workspace). ${missing}`,
        );
      }
      const workspace = await findOwnWorkspace(ctx.db, ctx.ownerId, chat.workspaceId);
      if (!workspace)
        throw new ToolRefusal("workspace.none", "The chat's workspace no longer exists.");
      if (input.path !== undefined && normalizeWorkspacePath(input.path, workspace.dir) !== path) {
        throw new ToolRefusal(
          "plan_mode.not_plan_file",
          `propose_plan only presents this chat's plan file, ${path}.`,
        );
      }
      const { row, client } = await runningAgent(ctx.db, workspace);
      if (!client) {
        throw new ToolRefusal(
          "workspace.not_running",
          `The workspace is ${row.status}; start it with start_workspace, then call propose_plan again.`,
        );
      }
      let content: string;
      try {
        const read = await client.readFile({ path }, ctx.signal);
        if (read.size > PLAN_MAX_BYTES || read.has_more || read.truncated) {
          throw new ToolRefusal(
            "plan_mode.invalid_plan",
            `The plan file is ${read.size} bytes; a plan may be at most ${PLAN_MAX_BYTES} bytes (32 KiB). Shorten it.`,
          );
        }
        content = read.content;
      } catch (err) {
        if (err instanceof AgentRequestError && err.status === 404) {
          throw new ToolRefusal(
            "plan_mode.no_plan",
            `The plan file ${path} does not exist. ${missing}`,
          );
        }
        if (err instanceof AgentRequestError) {
          throw new ToolRefusal(err.code, `Could not read the plan file: ${err.message}`);
        }
        throw err;
      }
      const problem = planContentProblem(content);
      if (problem) throw new ToolRefusal("plan_mode.invalid_plan", problem);
      if (content.trim() === "") {
        throw new ToolRefusal("plan_mode.no_plan", `The plan file ${path} is empty. ${missing}`);
      }
      ctx.emitPart("plan", { path, content });
      return {
        path,
        bytes: new TextEncoder().encode(content).length,
        message: "The plan is shown to the user for review. Stop here and wait for their reply.",
      };
    }),
});

const askUserQuestion = defineBuiltin({
  name: "ask_user_question",
  description:
    "Ask the user 1-4 multiple-choice questions when a decision is theirs and investigation cannot settle it. " +
    "Each question has 2-4 distinct options; the form always adds an 'Other' free-text choice. " +
    "Calling this ends your turn: the answers arrive as the user's next message.",
  inputSchema: askUserQuestionInput,
  endsTurn: true,
  async execute(input, ctx) {
    ctx.emitPart("question", { questions: input.questions });
    return {
      asked: input.questions.length,
      message:
        "The questions are shown to the user as a form. Stop here: their answers arrive as the next user message.",
    };
  },
});

export const PLAN_TOOLS: BuiltinTool[] = [proposePlan, askUserQuestion];
