import { z } from "zod";

export const createWorkspaceBody = z.strictObject({
  name: z.string().trim().min(1, "must not be empty").max(100, "must be at most 100 characters"),
  template: z.string().trim().min(1, "must not be empty").max(64, "must be at most 64 characters"),
});

export const workspaceMcpQuery = z.strictObject({
  refresh: z.enum(["true", "false"]).default("false"),
});

/** `?path=` of the file browser: workspace-relative; the agent confines it to the workspace. */
export const workspaceFileQuery = z.strictObject({
  path: z.string().trim().min(1, "must not be empty").max(4096, "must be at most 4096 characters"),
});

export const workspaceDirQuery = z.strictObject({
  path: z
    .string()
    .trim()
    .min(1, "must not be empty")
    .max(4096, "must be at most 4096 characters")
    .default("."),
});
