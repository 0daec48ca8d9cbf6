// A listed tool as the pool keeps it: redacted (a listing may echo what it was sent) and with
// text capped as the model will see it. The catalogue hashes this shape
// (lib/mcp/tool-definition.ts), so every field it covers is kept.
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { redactValue, type Redactor } from "@/lib/mcp/redact";
import { capDescription } from "@/lib/mcp/tool-adapter";

export interface PooledTool {
  name: string;
  title?: string;
  description?: string;
  inputSchema: Record<string, unknown>;
  outputSchema?: Record<string, unknown>;
  annotations?: {
    title?: string;
    readOnlyHint?: boolean;
    destructiveHint?: boolean;
    idempotentHint?: boolean;
    openWorldHint?: boolean;
  };
  /** Kept for the catalogue's definition hash (lib/mcp/tool-definition.ts). */
  icons?: unknown[];
  _meta?: { ui: unknown };
}

export function toPooledTool(listed: Tool, redactor: Redactor): PooledTool {
  // A listing is server output like any result: it may echo what it was sent.
  const tool = redactValue(listed, redactor) as Tool;
  const annotations = tool.annotations;
  return {
    name: tool.name,
    ...(tool.title !== undefined && { title: capDescription(tool.title) }),
    // Capped here, as the model will see it, so a megabyte description is not kept per user.
    ...(tool.description !== undefined && { description: capDescription(tool.description) }),
    inputSchema: tool.inputSchema as Record<string, unknown>,
    ...(tool.outputSchema !== undefined && {
      outputSchema: tool.outputSchema as Record<string, unknown>,
    }),
    ...(annotations !== undefined && {
      annotations: {
        ...(annotations.title !== undefined && { title: annotations.title }),
        ...(annotations.readOnlyHint !== undefined && { readOnlyHint: annotations.readOnlyHint }),
        ...(annotations.destructiveHint !== undefined && {
          destructiveHint: annotations.destructiveHint,
        }),
        ...(annotations.idempotentHint !== undefined && {
          idempotentHint: annotations.idempotentHint,
        }),
        ...(annotations.openWorldHint !== undefined && {
          openWorldHint: annotations.openWorldHint,
        }),
      },
    }),
    ...(Array.isArray(tool.icons) && tool.icons.length > 0 && { icons: tool.icons }),
    ...(tool._meta?.ui !== undefined && { _meta: { ui: tool._meta.ui } }),
  };
}

/** The fields beyond name, description, schema and hints that the catalogue's hash covers. */
export interface CatalogueFields {
  title?: string;
  outputSchema?: Tool["outputSchema"];
  icons?: unknown[];
  _meta?: { ui: unknown };
}

export function catalogueFields(tool: Tool): CatalogueFields {
  return {
    ...(tool.title !== undefined && { title: capDescription(tool.title) }),
    ...(tool.outputSchema !== undefined && { outputSchema: tool.outputSchema }),
    ...(Array.isArray(tool.icons) && tool.icons.length > 0 && { icons: tool.icons }),
    ...(tool._meta?.ui !== undefined && { _meta: { ui: tool._meta.ui } }),
  };
}

/** A listed tool for the admin's connection test: the model's text caps, every hashed field. */
export function summarizeTool(tool: Tool) {
  return {
    name: tool.name,
    ...(tool.description !== undefined && { description: capDescription(tool.description) }),
    ...(tool.annotations !== undefined && { annotations: tool.annotations }),
    inputSchema: tool.inputSchema,
    ...catalogueFields(tool),
  };
}
