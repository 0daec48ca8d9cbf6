import { z } from "zod";
import { TOOL_RULES } from "@/db/enums";

const hash = z.string().regex(/^sha256:[0-9a-f]{64}$/, 'must look like "sha256:<64 hex digits>"');

/** The path of one catalogued tool: the server id and the tool's own (MCP) name. */
export const toolParams = z.object({
  id: z.guid(),
  name: z.string().min(1).max(512),
});

export const catalogueQuery = z.strictObject({
  refresh: z.enum(["true", "false"]).optional(),
});

/** PATCH /api/mcp/servers/:id/tools/:name */
export const updateToolBody = z.strictObject({
  rule: z.enum(TOOL_RULES).optional(),
  plan_mode: z.boolean().optional(),
  approve_hash: hash.optional(),
});

/** POST /api/mcp/servers/:id/tools/review */
export const reviewToolsBody = z.strictObject({
  approve: z
    .array(z.strictObject({ name: z.string().min(1).max(512), hash }))
    .min(1)
    .max(1000),
  rule: z.enum(TOOL_RULES).optional(),
  plan_mode: z.boolean().optional(),
});
