import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { count } from "drizzle-orm";
import { testDatabaseKind } from "@/lib/testing/db";
import { openPglite, openPostgres, rowsOf } from "./client";
import { users } from "./schema";

describe.runIf(testDatabaseKind() === "pglite")("PGlite in DATA_DIR", () => {
  it("persists across reopen and migrates idempotently", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "toolgate-pglite-"));
    const first = openPglite(dir);
    await first.migrate();
    await first.db.insert(users).values({ email: "p@example.com", name: "P" });
    await first.close();

    const second = openPglite(dir);
    await second.migrate();
    const [row] = await second.db.select({ n: count() }).from(users);
    expect(row?.n).toBe(1);
    await second.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe.runIf(testDatabaseKind() === "postgres")("Postgres migrations", () => {
  it("migrate once when several instances start together", async () => {
    const base = process.env.DATABASE_URL!;
    const name = `toolgate_mig_${randomBytes(5).toString("hex")}`;
    const admin = postgres(base, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const url = new URL(base);
    url.pathname = `/${name}`;
    const handles = [1, 2, 3, 4].map(() => openPostgres(url.toString(), { max: 2 }));
    try {
      await Promise.all(handles.map((h) => h.migrate()));
      const applied = rowsOf<{ n: string }>(
        await handles[0]!.db.execute(
          // drizzle keeps its journal in the drizzle schema.
          (await import("drizzle-orm"))
            .sql`select count(*)::text as n from drizzle.__drizzle_migrations`,
        ),
      );
      const journal = JSON.parse(
        fs.readFileSync(path.join(process.cwd(), "db/migrations/meta/_journal.json"), "utf8"),
      ) as { entries: unknown[] };
      expect(Number(applied[0]!.n)).toBe(journal.entries.length);
      const [row] = await handles[1]!.db.select({ n: count() }).from(users);
      expect(row?.n).toBe(0);
    } finally {
      await Promise.all(handles.map((h) => h.close()));
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });
});
