import "server-only";
import { asc, eq, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { modelProviders } from "../schema";

export type ModelProviderRow = typeof modelProviders.$inferSelect;
export type ModelProviderInsert = typeof modelProviders.$inferInsert;

/** Oldest first: the order of /api/models, whose first provider holds the global default. */
export async function listModelProviders(db: Executor): Promise<ModelProviderRow[]> {
  return db
    .select()
    .from(modelProviders)
    .orderBy(asc(modelProviders.createdAt), asc(modelProviders.id));
}

export async function findModelProvider(
  db: Executor,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<ModelProviderRow | undefined> {
  const query = db.select().from(modelProviders).where(eq(modelProviders.id, id)).limit(1);
  const [row] = opts.forUpdate ? await query.for("update") : await query;
  return row;
}

/** The oldest provider that lists at least one model: the one holding the global default. */
export async function findDefaultModelProvider(
  db: Executor,
): Promise<ModelProviderRow | undefined> {
  const [row] = await db
    .select()
    .from(modelProviders)
    .where(sql`cardinality(${modelProviders.models}) > 0`)
    .orderBy(asc(modelProviders.createdAt), asc(modelProviders.id))
    .limit(1);
  return row;
}

export async function findModelProviderByBaseUrl(
  db: Executor,
  baseUrl: string,
): Promise<ModelProviderRow | undefined> {
  const [row] = await db
    .select()
    .from(modelProviders)
    .where(eq(modelProviders.baseUrl, baseUrl))
    .limit(1);
  return row;
}

export async function insertModelProvider(
  db: Executor,
  row: ModelProviderInsert,
): Promise<ModelProviderRow> {
  // clock_timestamp: two providers created in one transaction keep their creation order,
  // which decides the global default model.
  const [created] = await db
    .insert(modelProviders)
    .values({ createdAt: sql`clock_timestamp()`, updatedAt: sql`clock_timestamp()`, ...row })
    .returning();
  return created!;
}

export async function updateModelProvider(
  db: Executor,
  id: string,
  patch: Partial<ModelProviderInsert>,
): Promise<ModelProviderRow> {
  const [row] = await db
    .update(modelProviders)
    // clock_timestamp, not now(): two edits in one transaction still get distinct stamps, and
    // the registry's client cache is keyed on it.
    .set({ ...patch, updatedAt: sql`clock_timestamp()` })
    .where(eq(modelProviders.id, id))
    .returning();
  return row!;
}

export async function deleteModelProvider(db: Executor, id: string): Promise<boolean> {
  const rows = await db
    .delete(modelProviders)
    .where(eq(modelProviders.id, id))
    .returning({ id: modelProviders.id });
  return rows.length > 0;
}
