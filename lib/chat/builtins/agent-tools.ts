import type { BuiltinTool } from "./types";

export const AGENT_TOOLS: BuiltinTool[] = [];
