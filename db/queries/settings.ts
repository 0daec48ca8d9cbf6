import "server-only";
import { inArray, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { appSettings } from "../schema";

/** The stored values of `keys`; a key never written is absent from the map. */
export async function readSettings(
  db: Executor,
  keys: readonly string[],
): Promise<Map<string, unknown>> {
  if (keys.length === 0) return new Map();
  const rows = await db
    .select({ key: appSettings.key, value: appSettings.value })
    .from(appSettings)
    .where(inArray(appSettings.key, [...keys]));
  return new Map(rows.map((r) => [r.key, r.value]));
}

export async function writeSetting(
  db: Executor,
  key: string,
  value: unknown,
  updatedBy: string | null,
): Promise<void> {
  await db
    .insert(appSettings)
    .values({ key, value, updatedBy })
    .onConflictDoUpdate({
      target: appSettings.key,
      set: { value, updatedBy, updatedAt: sql`now()` },
    });
}
