import type { McpServerRow } from "@/db/queries/mcp-servers";
import type { ServerPolicy } from "@/lib/policy/tool-policy";

/** The slice of a config row the tool policy reads. */
export function serverPolicyOf(row: McpServerRow): ServerPolicy {
  return {
    id: row.id,
    enabled: row.enabled,
    availability: row.availability,
    toolAllowList: row.toolAllowList,
    toolDenyList: row.toolDenyList,
    allowInPlanMode: row.allowInPlanMode,
    planModeTools: row.planModeTools,
  };
}
