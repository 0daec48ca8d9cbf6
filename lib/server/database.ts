import "server-only";
import path from "node:path";
import { openPglite, openPostgres, type Database, type DbHandle } from "@/db/client";
import { getEnv } from "@/lib/env";
import { assertKeysCoverStoredSecrets } from "@/lib/crypto/key-check";

interface DbState {
  handle: Promise<DbHandle>;
}

// Cached on globalThis so dev-mode module reloads and the several bundles Next builds share
// one connection: PGlite must never be opened twice on one directory.
const globalState = globalThis as unknown as { __toolgateDb?: DbState };

async function start(): Promise<DbHandle> {
  const env = getEnv();
  const handle = env.DATABASE_URL
    ? openPostgres(env.DATABASE_URL)
    : openPglite(path.join(env.dataDir, "pgdata"));
  try {
    await handle.migrate();
    await assertKeysCoverStoredSecrets(handle.db);
    return handle;
  } catch (err) {
    // The start error matters more than a failed close; log the close failure and go on.
    await handle
      .close()
      .catch((closeErr: unknown) => console.error("[db] close after failed start:", closeErr));
    throw err;
  }
}

/** The migrated database; the first call opens it and runs migrations. */
export async function getDb(): Promise<Database> {
  return (await getDbHandle()).db;
}

export function getDbHandle(): Promise<DbHandle> {
  let state = globalState.__toolgateDb;
  if (!state) {
    const handle = start();
    state = { handle };
    globalState.__toolgateDb = state;
    // A failed start must not be cached forever: the next call tries again.
    handle.catch(() => {
      if (globalState.__toolgateDb === state) globalState.__toolgateDb = undefined;
    });
  }
  return state.handle;
}

/** Tests install their own database (a fresh PGlite or a throwaway Postgres database). */
export function setDbHandleForTests(handle: DbHandle | undefined): void {
  globalState.__toolgateDb = handle ? { handle: Promise.resolve(handle) } : undefined;
}
