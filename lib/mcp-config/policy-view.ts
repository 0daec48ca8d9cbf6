import type { McpServerRow } from "@/db/queries/mcp-servers";
import type { ServerPolicy, ToolGovernance } from "@/lib/policy/tool-policy";

const NO_CATALOGUE: ReadonlyMap<string, ToolGovernance> = new Map();

/**
 * The slice of a config row the tool policy reads, with the server's tool catalogue (without
 * one, every tool is judged as first seen: the server's default rule, plan_mode_tools).
 */
export function serverPolicyOf(
  row: McpServerRow,
  tools: ReadonlyMap<string, ToolGovernance> = NO_CATALOGUE,
): ServerPolicy {
  return {
    id: row.id,
    enabled: row.enabled,
    availability: row.availability,
    toolAllowList: row.toolAllowList,
    toolDenyList: row.toolDenyList,
    allowInPlanMode: row.allowInPlanMode,
    planModeTools: row.planModeTools,
    toolDefault: row.toolDefault,
    tools,
  };
}
