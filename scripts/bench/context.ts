// What the in-process sections share: a fresh database (in-memory PGlite, or a throwaway
// Postgres database with BENCH_DB=postgres), an admin, the fake model and 20 real MCP SDK
// servers registered as configs. Built once by the runner, torn down at exit.
import { modelProviders } from "@/db/schema";
import { startFakeOpenAI, type FakeOpenAI } from "@/e2e/fixtures/fake-openai";
import { startMcpTestServer, type RunningMcpTestServer } from "@/e2e/fixtures/mcp-test-server";
import { POST as createServer } from "@/app/api/mcp/servers/route";
import { getMcpPool } from "@/lib/mcp/pool";
import { setDbHandleForTests } from "@/lib/server/database";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/db";
import { seedUser } from "@/lib/testing/fixtures";
import { call } from "@/lib/testing/http";

export interface BenchUser {
  user: { id: string };
  token: string;
}

export interface BenchContext {
  db: TestDatabase;
  admin: BenchUser;
  member: BenchUser;
  fake: FakeOpenAI;
  /** 20 live servers (echo, add, read_docs, whoami), registered as bench0..bench19. */
  servers: RunningMcpTestServer[];
  serverIds: string[];
  /** Registers a config through the API route; returns its id. */
  addConfig(body: Record<string, unknown>): Promise<string>;
  /** SQL statements run on the database so far (a transaction's BEGIN and COMMIT count). */
  statements(): number;
  /** Stopped at teardown. */
  own(close: () => Promise<unknown>): void;
}

export async function createBenchContext(): Promise<{
  ctx: BenchContext;
  teardown(): Promise<void>;
}> {
  const closers: (() => Promise<unknown>)[] = [];
  let statements = 0;
  // BENCH_SQL_LOG=1 prints each statement's start, to see what a figure counts.
  const log = process.env.BENCH_SQL_LOG === "1";
  const db = await createTestDatabase({
    logger: {
      logQuery: (query) => {
        statements += 1;
        if (log) console.log(`    sql: ${query.replace(/\s+/g, " ").slice(0, 110)}`);
      },
    },
  });
  // The logger sees the statements inside a transaction; its BEGIN and COMMIT are counted here.
  const database = db.handle.db;
  const transaction = database.transaction.bind(database);
  database.transaction = ((fn, config) => {
    statements += 2;
    if (log) console.log("    sql: begin ... commit");
    return transaction(fn, config);
  }) as typeof database.transaction;
  setDbHandleForTests(db.handle);
  const teardown = async () => {
    await getMcpPool().close();
    for (const close of closers.reverse()) await close().catch(() => undefined);
    setDbHandleForTests(undefined);
    await db.drop();
  };
  try {
    const fake = await startFakeOpenAI();
    closers.push(() => fake.close());
    const servers = await Promise.all(
      Array.from({ length: 20 }, () =>
        startMcpTestServer({ tools: ["echo", "add", "read_docs", "whoami"] }),
      ),
    );
    for (const s of servers) closers.push(() => s.close());
    const admin = await seedUser(db.handle.db, { role: "admin" });
    const member = await seedUser(db.handle.db);
    for (let i = 0; i < 50; i++) await seedUser(db.handle.db);
    await db.handle.db.insert(modelProviders).values({
      kind: "openai-compatible",
      displayName: "Fake",
      baseUrl: fake.url,
      models: ["fake-model"],
      defaultModel: "fake-model",
    });
    const addConfig = async (body: Record<string, unknown>) => {
      const res = await call(createServer, { token: admin.token, body });
      if (res.status !== 201) throw new Error(`config not created: ${JSON.stringify(res.body)}`);
      return (res.body as { id: string }).id;
    };
    const serverIds: string[] = [];
    for (const [i, s] of servers.entries()) {
      serverIds.push(
        await addConfig({
          display_name: `Bench ${i}`,
          slug: `bench${i}`,
          url: s.mcpUrl,
          enabled: true,
        }),
      );
    }
    const ctx: BenchContext = {
      db,
      admin,
      member,
      fake,
      servers,
      serverIds,
      addConfig,
      statements: () => statements,
      own: (close) => closers.push(close),
    };
    return { ctx, teardown };
  } catch (error) {
    await teardown();
    throw error;
  }
}
