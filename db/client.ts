import "server-only";
import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { Logger } from "drizzle-orm/logger";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import * as schema from "./schema";

/** One type for both drivers, so queries are written once. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** Anything a query can run on: the database or an open transaction. */
export type Executor = Database | Transaction;

export interface DbHandle {
  kind: "pglite" | "postgres";
  db: Database;
  /** Runs migrations while holding the migration advisory lock. */
  migrate(): Promise<void>;
  close(): Promise<void>;
}

// Arbitrary constant shared by every instance: whoever holds it migrates, the rest wait.
const MIGRATION_LOCK_KEY = 7_314_002_201;

export function migrationsFolder(): string {
  return path.join(process.cwd(), "db", "migrations");
}

/** What a handle can be opened with: `logger` sees every statement (the bench counts them). */
export interface OpenOptions {
  logger?: Logger;
}

export function openPglite(dataDir: string | null, options: OpenOptions = {}): DbHandle {
  // PGlite takes no lock of its own: only one process may open a data directory.
  if (dataDir) fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const client = dataDir ? new PGlite(dataDir) : new PGlite();
  const db = drizzlePglite(client, {
    schema,
    ...(options.logger && { logger: options.logger }),
  }) as unknown as Database;
  return {
    kind: "pglite",
    db,
    async migrate() {
      await client.query(`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
      try {
        await migratePglite(db as never, { migrationsFolder: migrationsFolder() });
      } finally {
        await client.query(`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`);
      }
    },
    close: () => client.close(),
  };
}

export function openPostgres(url: string, options: OpenOptions & { max?: number } = {}): DbHandle {
  const client = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    connection: { application_name: "toolgate" },
  });
  const db = drizzlePostgres(client, {
    schema,
    ...(options.logger && { logger: options.logger }),
  }) as unknown as Database;
  return {
    kind: "postgres",
    db,
    async migrate() {
      // A session-level advisory lock must be taken and released on the same connection.
      const conn = await client.reserve();
      try {
        await conn`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
        try {
          await migratePostgres(db as never, { migrationsFolder: migrationsFolder() });
        } finally {
          await conn`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
        }
      } finally {
        conn.release();
      }
    },
    close: () => client.end({ timeout: 5 }),
  };
}

/** `db.execute` returns an array on postgres.js and `{ rows }` on PGlite. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return (result as { rows: T[] }).rows;
}
