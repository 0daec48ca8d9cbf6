import type { BuiltinTool } from "./types";

export const PLAN_TOOLS: BuiltinTool[] = [];
