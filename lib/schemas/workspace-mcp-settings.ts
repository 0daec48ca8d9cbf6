import { z } from "zod";
import { commandWords, urlPrefixProblem } from "@/lib/policy/workspace-mcp-rule";

export const WORKSPACE_MCP_MAX_ENTRIES = 100;

const commandEntry = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(1000)
  .refine((v) => commandWords(v).length > 0, "must name a command");

const urlEntry = z
  .string()
  .trim()
  .max(2000)
  .superRefine((value, ctx) => {
    const problem = urlPrefixProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

/**
 * PUT /api/admin/settings/workspace-mcp, shared by the route and the admin form: what members'
 * workspace `.mcp.json` servers may bring into a chat (lib/policy/workspace-mcp-rule.ts).
 */
export const workspaceMcpSettingsBody = z.strictObject({
  mode: z.enum(["off", "on", "allowlist"]),
  allowed_commands: z.array(commandEntry).max(WORKSPACE_MCP_MAX_ENTRIES).default([]),
  allowed_url_prefixes: z.array(urlEntry).max(WORKSPACE_MCP_MAX_ENTRIES).default([]),
});

export type WorkspaceMcpSettings = z.output<typeof workspaceMcpSettingsBody>;
