import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll } from "vitest";
import {
  openPglite,
  openPostgres,
  type Database,
  type DbHandle,
  type OpenOptions,
} from "@/db/client";
import { setDbHandleForTests } from "@/lib/server/database";

/** Which database the integration tests run on: PGlite unless TOOLGATE_TEST_DB=postgres. */
export function testDatabaseKind(): "pglite" | "postgres" {
  return process.env.TOOLGATE_TEST_DB === "postgres" ? "postgres" : "pglite";
}

export interface TestDatabase {
  handle: DbHandle;
  drop(): Promise<void>;
}

/** A fresh, migrated database: in-memory PGlite, or a throwaway database on DATABASE_URL. */
export async function createTestDatabase(options: OpenOptions = {}): Promise<TestDatabase> {
  if (testDatabaseKind() === "pglite") {
    const handle = openPglite(null, options);
    await handle.migrate();
    return { handle, drop: () => handle.close() };
  }
  const baseUrl = process.env.DATABASE_URL;
  if (!baseUrl) throw new Error("TOOLGATE_TEST_DB=postgres needs DATABASE_URL");
  const name = `toolgate_t_${randomBytes(6).toString("hex")}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const handle = openPostgres(url.toString(), { ...options, max: 5 });
  await handle.migrate();
  return {
    handle,
    async drop() {
      await handle.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

/** Installs a fresh database for this test file as the app's database. */
export function withTestDatabase(): { readonly db: Database; readonly handle: DbHandle } {
  let current: TestDatabase | undefined;
  beforeAll(async () => {
    current = await createTestDatabase();
    setDbHandleForTests(current.handle);
  });
  afterAll(async () => {
    setDbHandleForTests(undefined);
    await current?.drop();
  });
  return {
    get db() {
      if (!current) throw new Error("test database not ready");
      return current.handle.db;
    },
    get handle() {
      if (!current) throw new Error("test database not ready");
      return current.handle;
    },
  };
}
