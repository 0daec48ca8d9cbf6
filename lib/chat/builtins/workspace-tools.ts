import "server-only";
// Built-in tools bound to the chat's workspace: files and processes through its agent (the
// workspace's own lifecycle and the templates are in workspace-lifecycle-tools.ts). In plan
// mode write_file and edit_files may only touch the chat's plan file (lib/chat/plan-file.ts).
//
// Failures come back as results `{is_error: true, code, text}` rather than thrown errors, so
// the model and the user both see the reason (the UI shows output.text for failed calls).
import { z } from "zod";
import type { WorkspaceRow } from "@/db/queries/workspaces";
import { AgentRequestError, type AgentClient } from "@/lib/workspace/agent-client";
import { runningAgent } from "@/lib/workspace/service";
import {
  normalizeWorkspacePath,
  PLAN_DIR,
  PLAN_MAX_BYTES,
  planContentProblem,
  planFilePath,
} from "../plan-file";
import { refusalsAsResults, ToolRefusal } from "./refusal";
import { defineBuiltin, type BuiltinContext, type BuiltinTool } from "./types";
import { chatWorkspace, fail, NO_WORKSPACE } from "./workspace-context";

async function requireAgent(
  ctx: Pick<BuiltinContext, "db" | "chat" | "ownerId">,
): Promise<{ workspace: WorkspaceRow; client: AgentClient }> {
  const found = await chatWorkspace(ctx);
  if (!found) throw new ToolRefusal("workspace.none", NO_WORKSPACE);
  const { row, client } = await runningAgent(ctx.db, found);
  if (!client) {
    throw new ToolRefusal(
      "workspace.not_running",
      `The workspace "${row.name}" is ${row.status}${row.error ? ` (${row.error})` : ""}. ` +
        "Call start_workspace, then retry.",
    );
  }
  return { workspace: row, client };
}

const pathField = z
  .string()
  .min(1)
  .max(4096)
  .describe("Path relative to the workspace root, e.g. src/index.js.");

// ---------------------------------------------------------------------------
// Plan-mode confinement

/**
 * In plan mode a write may only go to the chat's plan file, through real directories: a
 * symlinked `.toolgate` or `.toolgate/plans` could redirect it onto a project file (the agent
 * itself refuses a symlink as the last component and anything leading outside).
 */
async function planTarget(
  ctx: BuiltinContext,
  workspace: WorkspaceRow,
  client: AgentClient,
  requested: string,
): Promise<string> {
  const plan = planFilePath(ctx.chat.id);
  const rel = normalizeWorkspacePath(requested, workspace.dir);
  if (rel !== plan) {
    throw new ToolRefusal(
      "plan_mode.write_refused",
      `Plan mode: only the plan file ${plan} may be written; ${requested} was refused. ` +
        "Investigate with read_file and execute, and put your findings in the plan file.",
    );
  }
  let dir = ".";
  for (const part of PLAN_DIR.split("/")) {
    const listing = await client.listFiles({ path: dir, depth: 1 }, ctx.signal);
    const child = dir === "." ? part : `${dir}/${part}`;
    const entry = listing.entries.find((e) => e.path === child);
    if (!entry) break; // Created as a real directory by the write.
    if (entry.type !== "directory") {
      throw new ToolRefusal(
        "plan_mode.write_refused",
        `Plan mode: ${child} is not a plain directory (a symlink?), so the plan file cannot be written safely.`,
      );
    }
    dir = child;
  }
  return plan;
}

function checkPlanContent(content: string): void {
  const problem = planContentProblem(content);
  if (problem) throw new ToolRefusal("plan_mode.invalid_plan", problem);
}

interface Edit {
  old_text: string;
  new_text: string;
  replace_all?: boolean | undefined;
}

/** The agent's edit semantics, applied in memory (plan mode checks the result first). */
function applyEdits(original: string, edits: readonly Edit[], file: string): string {
  let content = original;
  edits.forEach((edit, i) => {
    const count = content.split(edit.old_text).length - 1;
    if (count === 0) {
      throw new ToolRefusal(
        "workspace.edit_not_found",
        `edits[${i}].old_text was not found in ${file}; copy the text exactly, including whitespace.`,
      );
    }
    if (count > 1 && edit.replace_all !== true) {
      throw new ToolRefusal(
        "workspace.edit_ambiguous",
        `edits[${i}].old_text matches ${count} places in ${file}; add surrounding text or set replace_all.`,
      );
    }
    content = edit.replace_all
      ? content.split(edit.old_text).join(edit.new_text)
      : content.replace(edit.old_text, () => edit.new_text);
  });
  return content;
}

/**
 * The chat's plan file as stored in its workspace, for propose_plan. Throws an Error whose
 * message tells the model what to do (no workspace, not running, no plan file yet, too big).
 */
export async function readPlanFile(
  ctx: Pick<BuiltinContext, "db" | "chat" | "ownerId" | "signal">,
): Promise<{ path: string; content: string }> {
  const plan = planFilePath(ctx.chat.id);
  try {
    const { client } = await requireAgent(ctx);
    const file = await client.readFile({ path: plan }, ctx.signal);
    if (file.truncated || file.has_more || file.size > PLAN_MAX_BYTES) {
      throw new ToolRefusal(
        "plan_mode.invalid_plan",
        `The plan file is ${file.size} bytes, over the ${PLAN_MAX_BYTES}-byte limit; shorten it.`,
      );
    }
    const content =
      Buffer.byteLength(file.content, "utf8") === file.size - 1
        ? `${file.content}\n`
        : file.content;
    return { path: plan, content };
  } catch (err) {
    if (err instanceof AgentRequestError && err.status === 404) {
      throw new Error(
        `There is no plan file yet: write the plan to ${plan} with write_file first.`,
      );
    }
    if (err instanceof ToolRefusal || err instanceof AgentRequestError)
      throw new Error(err.message);
    throw err;
  }
}

// ---------------------------------------------------------------------------
// Files

const readFile = defineBuiltin({
  name: "read_file",
  description:
    "Read a text file from the workspace. Lines come numbered (`N<TAB>text`; the numbers are " +
    "not part of the file). Large files: page with offset/limit.",
  inputSchema: z.strictObject({
    path: pathField,
    offset: z.number().int().min(1).optional().describe("First line to read (1-based)."),
    limit: z.number().int().min(1).max(100_000).optional().describe("How many lines to read."),
  }),
  async execute(input, ctx) {
    return refusalsAsResults(async () => {
      const { workspace, client } = await requireAgent(ctx);
      const result = await client.readFile(
        {
          path: normalizeWorkspacePath(input.path, workspace.dir) ?? input.path,
          ...(input.offset !== undefined && { offset: input.offset }),
          ...(input.limit !== undefined && { limit: input.limit }),
          line_numbers: true,
        },
        ctx.signal,
      );
      return result;
    });
  },
});

const writeFile = defineBuiltin({
  name: "write_file",
  description:
    "Create or overwrite a file in the workspace with the given content (missing directories " +
    "are created). In plan mode only the chat's plan file may be written (Markdown, max 32 KiB).",
  inputSchema: z.strictObject({
    path: pathField,
    content: z
      .string()
      .max(1024 * 1024)
      .describe("The complete new file content."),
  }),
  async execute(input, ctx) {
    return refusalsAsResults(async () => {
      const { workspace, client } = await requireAgent(ctx);
      let target = normalizeWorkspacePath(input.path, workspace.dir) ?? input.path;
      if (ctx.planMode) {
        target = await planTarget(ctx, workspace, client, input.path);
        checkPlanContent(input.content);
      }
      return client.writeFile(
        {
          path: target,
          content: input.content,
          create_dirs: true,
          // The plan file exactly: never through a directory symlink planted earlier.
          ...(ctx.planMode && { no_symlinks: true }),
        },
        ctx.signal,
      );
    });
  },
});

const editSchema = z.strictObject({
  old_text: z.string().min(1).describe("Exact text to replace, whitespace included."),
  new_text: z.string().describe("The replacement."),
  replace_all: z
    .boolean()
    .optional()
    .describe("Replace every occurrence; otherwise old_text must occur exactly once."),
});

const editFiles = defineBuiltin({
  name: "edit_files",
  description:
    "Replace exact text in one or more workspace files. Each file's edits apply in order and " +
    "all-or-nothing for that file. Read the file first; copy old_text exactly (without line " +
    "numbers). In plan mode only the chat's plan file may be edited.",
  inputSchema: z.strictObject({
    files: z
      .array(z.strictObject({ path: pathField, edits: z.array(editSchema).min(1).max(100) }))
      .min(1)
      .max(20),
  }),
  async execute(input, ctx) {
    return refusalsAsResults(async () => {
      const { workspace, client } = await requireAgent(ctx);
      if (ctx.planMode) {
        if (input.files.length !== 1) {
          throw new ToolRefusal(
            "plan_mode.write_refused",
            `Plan mode: only the plan file ${planFilePath(ctx.chat.id)} may be edited.`,
          );
        }
        const file = input.files[0]!;
        const target = await planTarget(ctx, workspace, client, file.path);
        const current = await client.readFile({ path: target }, ctx.signal);
        if (current.truncated || current.has_more || current.size > PLAN_MAX_BYTES) {
          throw new ToolRefusal(
            "plan_mode.invalid_plan",
            `The plan file is ${current.size} bytes, over the ${PLAN_MAX_BYTES}-byte limit; rewrite it shorter with write_file.`,
          );
        }
        // The agent reads line by line: a final newline is not in `content`.
        let text = current.content;
        if (Buffer.byteLength(text, "utf8") === current.size - 1) text += "\n";
        const next = applyEdits(text, file.edits, target);
        checkPlanContent(next);
        const written = await client.writeFile(
          { path: target, content: next, no_symlinks: true },
          ctx.signal,
        );
        return { files: [{ path: written.path, bytes_written: written.bytes_written }] };
      }
      const results: Array<Record<string, unknown>> = [];
      const failures: string[] = [];
      for (const file of input.files) {
        const path = normalizeWorkspacePath(file.path, workspace.dir) ?? file.path;
        try {
          results.push({ ...(await client.editFile({ path, edits: file.edits }, ctx.signal)) });
        } catch (err) {
          if (!(err instanceof AgentRequestError)) throw err;
          failures.push(`${file.path}: ${err.message}`);
          results.push({ path: file.path, error: err.message });
        }
      }
      if (failures.length > 0) {
        return {
          ...fail(
            "workspace.edit_failed",
            `${failures.length} of ${input.files.length} file(s) were not changed:\n${failures.join("\n")}`,
          ),
          files: results,
        };
      }
      return { files: results };
    });
  },
});

// ---------------------------------------------------------------------------
// Processes

const execute = defineBuiltin({
  name: "execute",
  description:
    "Run a shell command (/bin/sh -c) in the workspace and return its exit code and combined " +
    "stdout+stderr. Waits up to timeout_ms (default 60000) unless background is true; then " +
    "poll process_output with the returned process_id.",
  inputSchema: z.strictObject({
    command: z
      .string()
      .min(1)
      .max(64 * 1024)
      .describe("The command line."),
    cwd: pathField.optional().describe("Working directory relative to the workspace root."),
    timeout_ms: z
      .number()
      .int()
      .min(1)
      .max(600_000)
      .optional()
      .describe("Kill the command after this long (max 600000)."),
    background: z.boolean().optional().describe("Start it and return at once (servers, watchers)."),
  }),
  async execute(input, ctx) {
    return refusalsAsResults(async () => {
      const { workspace, client } = await requireAgent(ctx);
      const cwd = input.cwd ? normalizeWorkspacePath(input.cwd, workspace.dir) : undefined;
      return client.execute(
        {
          command: input.command,
          shell: true,
          ...((cwd ?? input.cwd) !== undefined && { cwd: cwd ?? input.cwd }),
          ...(input.timeout_ms !== undefined && { timeout_ms: input.timeout_ms }),
          ...(input.background !== undefined && { background: input.background }),
          // Plan mode is enforced by the OS: the agent runs the command with the workspace
          // read-only but for this chat's plan file (root chats only), and no network.
          ...(ctx.planMode && {
            mode: "plan" as const,
            ...(ctx.chat.parentChatId === null && { plan_file: planFilePath(ctx.chat.id) }),
          }),
        },
        ctx.signal,
      );
    });
  },
});

const processOutput = defineBuiltin({
  name: "process_output",
  description:
    "Get the status, exit code and output of a process started with execute. Pass since " +
    "(a previous next_offset) to get only new output.",
  inputSchema: z.strictObject({
    process_id: z.string().min(1).max(100),
    since: z.number().int().min(0).optional(),
  }),
  async execute(input, ctx) {
    return refusalsAsResults(async () => {
      const { client } = await requireAgent(ctx);
      return client.processOutput(input, ctx.signal);
    });
  },
});

const processList = defineBuiltin({
  name: "process_list",
  description: "List the processes started in the workspace, running and recently finished.",
  inputSchema: z.strictObject({}),
  async execute(_input, ctx) {
    return refusalsAsResults(async () => {
      const { client } = await requireAgent(ctx);
      return client.processList(ctx.signal);
    });
  },
});

const processSignal = defineBuiltin({
  name: "process_signal",
  description:
    "Send a signal to a workspace process and everything it started (default SIGTERM; SIGKILL " +
    "if it will not stop).",
  inputSchema: z.strictObject({
    process_id: z.string().min(1).max(100),
    signal: z.enum(["SIGTERM", "SIGINT", "SIGKILL"]).optional(),
  }),
  async execute(input, ctx) {
    return refusalsAsResults(async () => {
      const { client } = await requireAgent(ctx);
      return client.processSignal(
        { process_id: input.process_id, signal: input.signal ?? "SIGTERM" },
        ctx.signal,
      );
    });
  },
});

// ---------------------------------------------------------------------------
// Templates and the workspace itself

export const WORKSPACE_TOOLS: BuiltinTool[] = [
  readFile,
  writeFile,
  editFiles,
  execute,
  processOutput,
  processList,
  processSignal,
];
