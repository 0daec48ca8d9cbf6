import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { mcpConfigSnapshot } from "./mcp-config-snapshot";
import { chats, mcpServerConfigs, mcpServerUserTokens, oidcAccounts } from "../schema";

export type McpServerRow = typeof mcpServerConfigs.$inferSelect;
export type McpServerInsert = typeof mcpServerConfigs.$inferInsert;
export type McpUserTokenRow = typeof mcpServerUserTokens.$inferSelect;

/** Configs sorted by display name; from the instance's snapshot when nothing changed since. */
export async function listMcpServers(
  db: Executor,
  opts: { enabledOnly: boolean },
): Promise<readonly McpServerRow[]> {
  const { servers } = await mcpConfigSnapshot(db);
  return opts.enabledOnly ? servers.filter((s) => s.enabled) : servers;
}

export async function findMcpServer(
  db: Executor,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<McpServerRow | undefined> {
  const query = db.select().from(mcpServerConfigs).where(eq(mcpServerConfigs.id, id)).limit(1);
  const [row] = opts.forUpdate ? await query.for("update") : await query;
  return row;
}

export async function insertMcpServer(db: Executor, row: McpServerInsert): Promise<McpServerRow> {
  const [created] = await db.insert(mcpServerConfigs).values(row).returning();
  return created!;
}

export async function updateMcpServer(
  db: Executor,
  id: string,
  patch: Partial<McpServerInsert>,
): Promise<McpServerRow> {
  const [row] = await db
    .update(mcpServerConfigs)
    .set({ ...patch, version: sql`${mcpServerConfigs.version} + 1`, updatedAt: sql`now()` })
    .where(eq(mcpServerConfigs.id, id))
    .returning();
  return row!;
}

export async function setMcpServerStatus(
  db: Executor,
  id: string,
  status: { state: "ok" | "error"; detail: string | null },
): Promise<void> {
  // Health is not an edit: version and updated_at stay as they are.
  await db
    .update(mcpServerConfigs)
    .set({ statusState: status.state, statusDetail: status.detail, statusCheckedAt: sql`now()` })
    .where(eq(mcpServerConfigs.id, id));
}

/** Deletes a config and takes its id out of every chat's selection. */
export async function deleteMcpServer(db: Executor, id: string): Promise<boolean> {
  await db
    .update(chats)
    .set({ mcpServerIds: sql`array_remove(${chats.mcpServerIds}, ${id}::uuid)` })
    .where(sql`${id}::uuid = any(${chats.mcpServerIds})`);
  const rows = await db
    .delete(mcpServerConfigs)
    .where(eq(mcpServerConfigs.id, id))
    .returning({ id: mcpServerConfigs.id });
  return rows.length > 0;
}

/** Drops every user's stored OAuth token for a server; returns how many were dropped. */
export async function deleteUserTokensForServer(db: Executor, serverId: string): Promise<number> {
  const rows = await db
    .delete(mcpServerUserTokens)
    .where(eq(mcpServerUserTokens.serverId, serverId))
    .returning({ id: mcpServerUserTokens.id });
  return rows.length;
}

export async function findUserTokens(
  db: Executor,
  userId: string,
  serverIds: string[],
): Promise<McpUserTokenRow[]> {
  if (serverIds.length === 0) return [];
  return db
    .select()
    .from(mcpServerUserTokens)
    .where(
      and(eq(mcpServerUserTokens.userId, userId), inArray(mcpServerUserTokens.serverId, serverIds)),
    );
}

export async function findOidcAccountForUser(db: Executor, userId: string, issuer: string) {
  const [row] = await db
    .select()
    .from(oidcAccounts)
    .where(and(eq(oidcAccounts.userId, userId), eq(oidcAccounts.issuer, issuer)))
    .limit(1);
  return row;
}

export async function findMcpServerBySlug(
  db: Executor,
  slug: string,
): Promise<McpServerRow | undefined> {
  const [row] = await db
    .select()
    .from(mcpServerConfigs)
    .where(eq(mcpServerConfigs.slug, slug))
    .limit(1);
  return row;
}
