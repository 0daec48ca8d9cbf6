import "server-only";
import { getEnv } from "@/lib/env";
import type { ToolReason } from "@/lib/policy/reasons";

/** The notice and the explainer reasons for tools left out by the caps below. */
export const TOO_MANY_TOOLS = "mcp.too_many_tools";
export const OVER_SERVER_LIMIT = "too_many_tools_on_server" satisfies ToolReason;
export const OVER_TURN_LIMIT = "too_many_tools_in_turn" satisfies ToolReason;

export interface ToolLimits {
  /** MCP_MAX_TOOLS_PER_SERVER: tools of one server offered in a turn, in its listing order. */
  perServer: number;
  /** MCP_MAX_TOOLS_PER_TURN: every tool offered in a turn, built-ins (never cut) included. */
  perTurn: number;
}

export function toolLimits(): ToolLimits {
  const env = getEnv();
  return { perServer: env.MCP_MAX_TOOLS_PER_SERVER, perTurn: env.MCP_MAX_TOOLS_PER_TURN };
}
