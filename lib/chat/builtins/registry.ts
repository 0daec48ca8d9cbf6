import { AGENT_TOOLS } from "./agent-tools";
import { PLAN_TOOLS } from "./plan-tools";
import type { BuiltinTool } from "./types";
import { WORKSPACE_LIFECYCLE_TOOLS } from "./workspace-lifecycle-tools";
import { WORKSPACE_TOOLS } from "./workspace-tools";

/**
 * Every built-in tool. Which of them a turn may use is decided by the tool policy
 * (lib/policy), never here.
 */
export function builtinTools(): BuiltinTool[] {
  return [...WORKSPACE_TOOLS, ...WORKSPACE_LIFECYCLE_TOOLS, ...PLAN_TOOLS, ...AGENT_TOOLS];
}
