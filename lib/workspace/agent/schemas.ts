// Request bodies of the agent API, validated strictly: an unknown field is a 400.
import { z } from "zod";

const relPath = z.string().min(1).max(4096);

export const readBody = z.strictObject({
  path: relPath,
  /** First line to return, 1-based. */
  offset: z.number().int().min(1).optional(),
  /** Number of lines to return. */
  limit: z.number().int().min(1).max(100_000).optional(),
  line_numbers: z.boolean().optional(),
});

export const writeBody = z.strictObject({
  path: relPath,
  content: z.string(),
  create_dirs: z.boolean().optional(),
  /** Refuse when any directory on the path is a symlink (plan-mode writes to the plan file). */
  no_symlinks: z.boolean().optional(),
});

export const editBody = z.strictObject({
  path: relPath,
  edits: z
    .array(
      z.strictObject({
        old_text: z.string().min(1),
        new_text: z.string(),
        replace_all: z.boolean().optional(),
      }),
    )
    .min(1)
    .max(100),
});

export const listBody = z.strictObject({
  path: relPath.optional(),
  depth: z.number().int().min(1).max(10).optional(),
});

export const DEFAULT_TIMEOUT_MS = 60_000;
export const MAX_TIMEOUT_MS = 10 * 60_000;

const envName = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const executeBody = z
  .strictObject({
    command: z
      .string()
      .min(1)
      .max(64 * 1024),
    args: z
      .array(z.string().max(64 * 1024))
      .max(1000)
      .optional(),
    /** Run `command` through /bin/sh -c; exclusive with args. */
    shell: z.boolean().optional(),
    cwd: relPath.optional(),
    env: z
      .record(z.string().regex(envName, "must be a valid environment variable name"), z.string())
      .optional(),
    timeout_ms: z.number().int().min(1).max(MAX_TIMEOUT_MS).optional(),
    background: z.boolean().optional(),
    /** "plan": the workspace read-only (but plan_file) and no network at all. */
    mode: z.enum(["normal", "plan"]).optional(),
    /** Plan mode only: the one workspace file the command may write. */
    plan_file: relPath.optional(),
  })
  .refine((b) => b.plan_file === undefined || b.mode === "plan", {
    message: "plan_file is only for mode: plan",
    path: ["plan_file"],
  })
  .refine((b) => !(b.shell === true && b.args !== undefined), {
    message: "args and shell: true are exclusive; put the whole command line in command",
    path: ["args"],
  })
  .refine((b) => !/\0/.test(b.command) && !(b.args ?? []).some((a) => a.includes("\0")), {
    message: "must not contain NUL bytes",
    path: ["command"],
  });

export const processIdBody = z.strictObject({
  process_id: z.string().min(1).max(100),
  /** Byte offset into the process's whole output, from a previous next_offset. */
  since: z.number().int().min(0).optional(),
});

export const signalBody = z.strictObject({
  process_id: z.string().min(1).max(100),
  signal: z.enum(["SIGTERM", "SIGINT", "SIGKILL"]),
});

export const callToolBody = z.strictObject({
  tool_name: z.string().min(1).max(512),
  arguments: z.record(z.string(), z.unknown()).optional(),
  /** The server's fingerprint from the listing the caller decided on; 409 when it changed. */
  expect_fingerprint: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
});
