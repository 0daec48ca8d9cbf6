import type { BuiltinTool } from "./types";

export const WORKSPACE_TOOLS: BuiltinTool[] = [];
