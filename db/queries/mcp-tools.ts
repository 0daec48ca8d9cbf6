import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import type { ToolGovernance } from "@/lib/policy/tool-policy";
import type { Executor } from "../client";
import { mcpServerTools } from "../schema";

export type McpServerToolRow = typeof mcpServerTools.$inferSelect;
export type McpServerToolInsert = typeof mcpServerTools.$inferInsert;

/** What the policy reads of a catalogue, for each of the given servers (absent: nothing yet). */
export async function loadToolGovernance(
  db: Executor,
  serverIds: readonly string[],
): Promise<Map<string, Map<string, ToolGovernance>>> {
  const out = new Map<string, Map<string, ToolGovernance>>();
  if (serverIds.length === 0) return out;
  const rows = await db
    .select({
      serverId: mcpServerTools.serverId,
      name: mcpServerTools.name,
      status: mcpServerTools.status,
      rule: mcpServerTools.rule,
      planMode: mcpServerTools.planMode,
    })
    .from(mcpServerTools)
    .where(inArray(mcpServerTools.serverId, [...serverIds]));
  for (const { serverId, name, ...governance } of rows) {
    let tools = out.get(serverId);
    if (!tools) out.set(serverId, (tools = new Map()));
    tools.set(name, governance);
  }
  return out;
}

/** One tool's catalogue entry, for the policy's recheck when a call runs. */
export async function findToolGovernance(
  db: Executor,
  serverId: string,
  name: string,
): Promise<ToolGovernance | undefined> {
  const [row] = await db
    .select({
      status: mcpServerTools.status,
      rule: mcpServerTools.rule,
      planMode: mcpServerTools.planMode,
    })
    .from(mcpServerTools)
    .where(and(eq(mcpServerTools.serverId, serverId), eq(mcpServerTools.name, name)))
    .limit(1);
  return row;
}

/** A server's whole catalogue, sorted by name (the admin's Tools tab). */
export async function listServerTools(db: Executor, serverId: string): Promise<McpServerToolRow[]> {
  return db
    .select()
    .from(mcpServerTools)
    .where(eq(mcpServerTools.serverId, serverId))
    .orderBy(mcpServerTools.name);
}
