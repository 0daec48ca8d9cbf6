import "server-only";
import { sql } from "drizzle-orm";
import { rowsOf, type Database } from "@/db/client";
import { ENCRYPTED_COLUMNS } from "@/db/encrypted-columns";
import { envelopeKeyId, openWith, sealWith } from "./envelope";
import type { KeyRing } from "./keyring";
import { secretAad } from "./secrets";

export interface RotationReport {
  /** Values re-sealed with the newest key, per `table.column`. */
  resealed: Record<string, number>;
  total: number;
}

const BATCH = 200;

function ident(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad identifier ${name}`);
  return `"${name}"`;
}

/**
 * Re-seals every stored secret that is not sealed with the ring's newest key. Rows are locked
 * and rewritten in small transactions, so the app can keep running (on Postgres) meanwhile:
 * every instance holds both keys until the old one is removed.
 */
export async function rotateSecrets(db: Database, ring: KeyRing): Promise<RotationReport> {
  const report: RotationReport = { resealed: {}, total: 0 };
  const current = `${ring.primary.id}`;
  for (const set of ENCRYPTED_COLUMNS) {
    const table = ident(set.table);
    const stale = set.columns
      .map((c) => `(${ident(c)} is not null and split_part(${ident(c)}, '.', 2) <> '${current}')`)
      .join(" or ");
    for (;;) {
      const done = await db.transaction(async (tx) => {
        const rows = rowsOf<Record<string, string | null>>(
          await tx.execute(
            sql.raw(
              `select id, ${set.columns.map(ident).join(", ")} from ${table} where ${stale} ` +
                `limit ${BATCH} for update skip locked`,
            ),
          ),
        );
        for (const row of rows) {
          const id = String(row.id);
          const assignments: string[] = [];
          for (const column of set.columns) {
            const value = row[column];
            if (!value || envelopeKeyId(value) === current) continue;
            const aad = secretAad(set.table, column, id);
            const resealed = sealWith(ring, openWith(ring, value, aad), aad);
            assignments.push(`${ident(column)} = '${resealed}'`);
            const key = `${set.table}.${column}`;
            report.resealed[key] = (report.resealed[key] ?? 0) + 1;
            report.total += 1;
          }
          if (assignments.length > 0) {
            // Envelopes are base64url and dots only, and id is a UUID read from the row, so
            // inlining them is safe; sql.raw keeps one statement for both drivers.
            if (!/^[0-9a-f-]{36}$/i.test(id)) throw new Error("unexpected id format");
            await tx.execute(
              sql.raw(`update ${table} set ${assignments.join(", ")} where id = '${id}'`),
            );
          }
        }
        return rows.length < BATCH;
      });
      if (done) break;
    }
  }
  return report;
}
