// npm run bench: throughput figures as ratios against a baseline measured in the same run, so
// numbers compare across machines. Runs in-process on an in-memory PGlite (or on Postgres with
// BENCH_DB=postgres and DATABASE_URL).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

process.env.DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), "toolgate-bench-"));
process.env.APP_URL ??= "http://toolgate.test";
if (process.env.BENCH_DB === "postgres") process.env.TOOLGATE_TEST_DB = "postgres";

const { GET: me } = await import("@/app/api/users/me/route");
const { GET: listUsers } = await import("@/app/api/users/route");
const { GET: health } = await import("@/app/api/health/route");
const { setDbHandleForTests } = await import("@/lib/server/database");
const { createTestDatabase } = await import("@/lib/testing/db");
const { seedUser } = await import("@/lib/testing/fixtures");
const { call, sessionCookie } = await import("@/lib/testing/http");
const { openSecret, sealSecret } = await import("@/lib/crypto/secrets");

const DURATION_MS = Number(process.env.BENCH_MS ?? 1500);

async function measure(
  name: string,
  fn: () => Promise<unknown>,
): Promise<{ name: string; opsPerSec: number }> {
  for (let i = 0; i < 20; i++) await fn(); // warm-up
  let ops = 0;
  const start = performance.now();
  while (performance.now() - start < DURATION_MS) {
    await fn();
    ops++;
  }
  return { name, opsPerSec: (ops * 1000) / (performance.now() - start) };
}

const db = await createTestDatabase();
setDbHandleForTests(db.handle);
try {
  const admin = await seedUser(db.handle.db, { role: "admin" });
  for (let i = 0; i < 50; i++) await seedUser(db.handle.db);
  const cookie = await sessionCookie(admin.user.id);
  const sealed = sealSecret("x".repeat(256), "bench.col:1");

  const bare = async () => Response.json({ ok: true });
  const baseline = await measure("baseline: bare handler returning JSON", () => call(bare));
  const rows = [
    await measure("GET /api/health (SELECT 1)", () => call(health)),
    await measure("GET /api/users/me, Bearer token", () => call(me, { token: admin.token })),
    await measure("GET /api/users/me, session cookie", () => call(me, { cookie })),
    await measure("GET /api/users (51 users), admin", () =>
      call(listUsers, { token: admin.token }),
    ),
    await measure("open a sealed 256-byte secret", async () => openSecret(sealed, "bench.col:1")),
  ];
  console.log(`toolgate bench (${db.handle.kind}, ${DURATION_MS} ms per figure)`);
  console.log(
    `${baseline.name.padEnd(44)} ${baseline.opsPerSec.toFixed(0).padStart(9)} ops/s   1.00x`,
  );
  for (const r of rows) {
    const ratio = r.opsPerSec / baseline.opsPerSec;
    console.log(
      `${r.name.padEnd(44)} ${r.opsPerSec.toFixed(0).padStart(9)} ops/s   ${ratio.toFixed(2)}x`,
    );
  }
} finally {
  setDbHandleForTests(undefined);
  await db.drop();
}
