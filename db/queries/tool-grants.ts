import "server-only";
import { and, desc, eq, gt, isNull, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { toolGrants } from "../schema-tool-calls";

export type ToolGrantRow = typeof toolGrants.$inferSelect;

export async function insertGrant(
  db: Executor,
  row: typeof toolGrants.$inferInsert,
): Promise<ToolGrantRow> {
  const [created] = await db.insert(toolGrants).values(row).returning();
  return created!;
}

/** The grant that lets this tool run unasked in this chat now, if any. */
export async function findActiveGrant(
  db: Executor,
  chatId: string,
  tool: { source: "mcp" | "workspace_mcp"; serverId: string | null; toolName: string },
): Promise<ToolGrantRow | undefined> {
  const [row] = await db
    .select()
    .from(toolGrants)
    .where(
      and(
        eq(toolGrants.chatId, chatId),
        eq(toolGrants.source, tool.source),
        tool.serverId === null
          ? isNull(toolGrants.serverId)
          : eq(toolGrants.serverId, tool.serverId),
        eq(toolGrants.toolName, tool.toolName),
        isNull(toolGrants.revokedAt),
        gt(toolGrants.expiresAt, sql`now()`),
      ),
    )
    .orderBy(desc(toolGrants.expiresAt))
    .limit(1);
  return row;
}

/** The chat's grants, newest first; `activeOnly` leaves out revoked and expired ones. */
export async function listChatGrants(
  db: Executor,
  chatId: string,
  activeOnly: boolean,
): Promise<ToolGrantRow[]> {
  return db
    .select()
    .from(toolGrants)
    .where(
      and(
        eq(toolGrants.chatId, chatId),
        activeOnly ? isNull(toolGrants.revokedAt) : undefined,
        activeOnly ? gt(toolGrants.expiresAt, sql`now()`) : undefined,
      ),
    )
    .orderBy(desc(toolGrants.createdAt));
}

export async function findChatGrant(
  db: Executor,
  chatId: string,
  id: string,
): Promise<ToolGrantRow | undefined> {
  const [row] = await db
    .select()
    .from(toolGrants)
    .where(and(eq(toolGrants.id, id), eq(toolGrants.chatId, chatId)))
    .limit(1);
  return row;
}

/** Revokes a grant still in force; undefined when it was already revoked. */
export async function revokeGrant(
  db: Executor,
  id: string,
  by: string,
): Promise<ToolGrantRow | undefined> {
  const [row] = await db
    .update(toolGrants)
    .set({ revokedAt: sql`now()`, revokedBy: by })
    .where(and(eq(toolGrants.id, id), isNull(toolGrants.revokedAt)))
    .returning();
  return row;
}
