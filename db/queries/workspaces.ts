import "server-only";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { chats, users, workspaces, type WorkspaceStatus } from "../schema";

export type WorkspaceRow = typeof workspaces.$inferSelect;

export async function insertWorkspace(
  db: Executor,
  row: typeof workspaces.$inferInsert,
): Promise<WorkspaceRow> {
  const [created] = await db.insert(workspaces).values(row).returning();
  return created!;
}

export async function findWorkspace(db: Executor, id: string): Promise<WorkspaceRow | undefined> {
  const [row] = await db.select().from(workspaces).where(eq(workspaces.id, id)).limit(1);
  return row;
}

/** A workspace of `ownerId`; someone else's is indistinguishable from a missing one. */
export async function findOwnWorkspace(
  db: Executor,
  ownerId: string,
  id: string,
): Promise<WorkspaceRow | undefined> {
  const [row] = await db
    .select()
    .from(workspaces)
    .where(and(eq(workspaces.id, id), eq(workspaces.ownerId, ownerId)))
    .limit(1);
  return row;
}

export async function listOwnWorkspaces(
  db: Executor,
  ownerId: string,
  limit = 200,
): Promise<WorkspaceRow[]> {
  return db
    .select()
    .from(workspaces)
    .where(eq(workspaces.ownerId, ownerId))
    .orderBy(desc(workspaces.createdAt), desc(workspaces.id))
    .limit(limit);
}

export type WorkspacePatch = Partial<
  Pick<WorkspaceRow, "status" | "agentUrl" | "agentTokenEnc" | "agentPid" | "error" | "name">
>;

export async function updateWorkspace(
  db: Executor,
  id: string,
  patch: WorkspacePatch,
): Promise<WorkspaceRow> {
  const [row] = await db
    .update(workspaces)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(eq(workspaces.id, id))
    .returning();
  return row!;
}

/**
 * Moves the workspace to `to` only while it is in one of `from`: the database decides which of
 * two concurrent starts (or a start and a stop) wins. Undefined when the status was elsewhere.
 */
export async function transitionWorkspace(
  db: Executor,
  id: string,
  from: readonly WorkspaceStatus[],
  patch: WorkspacePatch & { status: WorkspaceStatus },
): Promise<WorkspaceRow | undefined> {
  const [row] = await db
    .update(workspaces)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(and(eq(workspaces.id, id), inArray(workspaces.status, [...from])))
    .returning();
  return row;
}

/** Every workspace with its owner, newest first: the admin's view. */
export async function listAllWorkspaces(db: Executor, limit = 500) {
  return db
    .select({
      workspace: workspaces,
      ownerEmail: users.email,
      ownerName: users.name,
    })
    .from(workspaces)
    .innerJoin(users, eq(users.id, workspaces.ownerId))
    .orderBy(desc(workspaces.createdAt), desc(workspaces.id))
    .limit(limit);
}

/** Workspaces of `ownerId` whose agent may be running. */
export async function listActiveWorkspacesOf(
  db: Executor,
  ownerId: string,
): Promise<WorkspaceRow[]> {
  return db
    .select()
    .from(workspaces)
    .where(
      and(
        eq(workspaces.ownerId, ownerId),
        inArray(workspaces.status, ["running", "starting", "error"]),
      ),
    );
}

/**
 * Counts the owner's workspaces under a transaction-scoped advisory lock on the owner, so two
 * concurrent creates cannot both pass the quota check (on any instance).
 */
export async function countOwnWorkspacesLocked(db: Executor, ownerId: string): Promise<number> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtext(${`workspace-quota:${ownerId}`}))`);
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(workspaces)
    .where(eq(workspaces.ownerId, ownerId));
  return row?.n ?? 0;
}

/** Deletes the row and detaches every chat that used it, in one transaction. */
export async function deleteWorkspaceRow(db: Executor, id: string): Promise<void> {
  await db.update(chats).set({ workspaceId: null }).where(eq(chats.workspaceId, id));
  await db.delete(workspaces).where(eq(workspaces.id, id));
}

/** Every workspace id (workspace uids are derived from ids; a new id must not collide). */
export async function listWorkspaceIds(db: Executor): Promise<string[]> {
  return (await db.select({ id: workspaces.id }).from(workspaces)).map((r) => r.id);
}
