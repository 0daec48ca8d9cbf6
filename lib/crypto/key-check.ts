import "server-only";
import { sql } from "drizzle-orm";
import { rowsOf, type Executor } from "@/db/client";
import { ENCRYPTED_COLUMNS } from "@/db/encrypted-columns";
import { KeyRingError } from "./keyring";
import { getKeyRing } from "./secrets";

function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad identifier ${name}`);
  return `"${name}"`;
}

/** Key ids that sealed at least one stored value, with how many values each sealed. */
export async function storedKeyIds(db: Executor): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const set of ENCRYPTED_COLUMNS) {
    for (const column of set.columns) {
      const col = quoteIdent(column);
      const result = await db.execute(
        sql.raw(
          `select split_part(${col}, '.', 2) as key_id, count(*) as n from ${quoteIdent(set.table)} ` +
            `where ${col} is not null group by 1`,
        ),
      );
      for (const row of rowsOf<{ key_id: string; n: string | number }>(result)) {
        counts.set(row.key_id, (counts.get(row.key_id) ?? 0) + Number(row.n));
      }
    }
  }
  return counts;
}

/**
 * Refuses to run when stored secrets need a key the ring does not hold: starting anyway would
 * fail later, one request at a time, and a write would mix keys further.
 */
export async function assertKeysCoverStoredSecrets(db: Executor): Promise<void> {
  const ring = getKeyRing();
  const missing = [...(await storedKeyIds(db)).entries()].filter(([id]) => !ring.keys.has(id));
  if (missing.length > 0) {
    const list = missing.map(([id, n]) => `${id} (${n} values)`).join(", ");
    throw new KeyRingError(
      `Stored secrets were sealed with keys that SECRETS_KEYS does not hold: ${list}. ` +
        `Add the old key back to SECRETS_KEYS (after the new one) and run "npm run secrets:rotate".`,
    );
  }
}
