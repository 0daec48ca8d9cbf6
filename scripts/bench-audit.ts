// npm run bench:audit: what the tool-call audit costs. (1) A turn with one approval-free MCP
// call, whose audit row is written on the way, against the same turn minus the measured cost
// of one audit write; (2) the export of 100,000 audit rows, streamed from the database, with
// the process's peak RSS while it runs. In-process on an in-memory PGlite (BENCH_DB=postgres
// with DATABASE_URL for Postgres), a real MCP SDK server and the fake model.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";

process.env.DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), "toolgate-bench-audit-"));
process.env.APP_URL ??= "http://toolgate.test";
process.env.EGRESS_ALLOWLIST = "127.0.0.1";
if (process.env.BENCH_DB === "postgres") process.env.TOOLGATE_TEST_DB = "postgres";

const { sql } = await import("drizzle-orm");
const { POST: createServer } = await import("@/app/api/mcp/servers/route");
const { POST: createChat } = await import("@/app/api/chats/route");
const { POST: sendMessage } = await import("@/app/api/chats/[id]/messages/route");
const { GET: exportCalls } = await import("@/app/api/admin/audit/tool-calls/export/route");
const { modelProviders } = await import("@/db/schema");
const { insertToolAudit } = await import("@/db/queries/tool-audit");
const { getMcpPool } = await import("@/lib/mcp/pool");
const { setDbHandleForTests } = await import("@/lib/server/database");
const { createTestDatabase } = await import("@/lib/testing/db");
const { seedUser } = await import("@/lib/testing/fixtures");
const { call } = await import("@/lib/testing/http");
const { startMcpTestServer } = await import("@/e2e/fixtures/mcp-test-server");
const { startFakeOpenAI } = await import("@/e2e/fixtures/fake-openai");

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const EXPORT_ROWS = Number(process.env.BENCH_EXPORT_ROWS ?? 100_000);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

const db = await createTestDatabase();
setDbHandleForTests(db.handle);
const fake = await startFakeOpenAI();
const mcp = await startMcpTestServer({});
try {
  const admin = await seedUser(db.handle.db, { role: "admin" });
  await db.handle.db.insert(modelProviders).values({
    kind: "openai-compatible",
    displayName: "Fake",
    baseUrl: fake.url,
    models: ["fake-model"],
    defaultModel: "fake-model",
  });
  const server = await call(createServer, {
    token: admin.token,
    body: { display_name: "Bench", slug: "bench0", url: mcp.mcpUrl, enabled: true },
  });
  const serverId = (server.body as { id: string }).id;

  console.log("One turn with one approval-free tool call (ms, median)");
  const turn = async (n: number) => {
    const key = `bench-audit-${n}-${Date.now()}`;
    fake.script(key, [
      { toolCalls: [{ name: "bench0__echo", arguments: { text: "hi" } }] },
      { text: "done" },
    ]);
    const chat = await call(createChat, {
      token: admin.token,
      body: { mcp_server_ids: [serverId] },
    });
    const start = performance.now();
    const res = await call(sendMessage, {
      token: admin.token,
      params: { id: (chat.body as { id: string }).id },
      body: { content: key },
      headers: { accept: "application/json" },
    });
    if (res.status !== 200) throw new Error(`turn failed: ${JSON.stringify(res.body)}`);
    return performance.now() - start;
  };
  const turns: number[] = [];
  for (let i = 0; i < ROUNDS + 2; i++) turns.push(await turn(i));
  const turnMs = median(turns.slice(2));
  const writes: number[] = [];
  for (let i = 0; i < 50; i++) {
    const start = performance.now();
    await insertToolAudit(db.handle.db, {
      userId: admin.user.id,
      userEmail: admin.user.email,
      chatId: randomUUID(),
      turnId: randomUUID(),
      toolCallId: `w${i}`,
      source: "mcp",
      tool: "echo",
      planMode: false,
      agent: "root",
      inputSha256: "0".repeat(64),
      decision: "allowed",
      outcome: "ok",
    });
    writes.push(performance.now() - start);
  }
  const writeMs = median(writes);
  console.log(`  turn, audit row included:        ${turnMs.toFixed(1)}`);
  console.log(`  one audit write:                 ${writeMs.toFixed(2)}`);
  console.log(`  ratio to the turn without it:    ${(turnMs / (turnMs - writeMs)).toFixed(3)}x`);

  console.log(`\nExport of ${EXPORT_ROWS} audit rows, streamed`);
  await db.handle.db.execute(sql`
    insert into tool_call_audit (user_id, user_email, chat_id, turn_id, tool_call_id, source,
      tool, plan_mode, agent, model_intent, input_sha256, decision, outcome, duration_ms, at)
    select ${admin.user.id}::uuid, ${admin.user.email}, gen_random_uuid(), gen_random_uuid(),
      'call_' || g, 'mcp', 'echo', false, 'root', 'Echoing row ' || g, md5(g::text) || md5(g::text),
      'allowed', 'ok', g % 500, now() - (g || ' seconds')::interval
    from generate_series(1, ${EXPORT_ROWS}) g`);
  for (const format of ["jsonl", "csv"] as const) {
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    const start = performance.now();
    const headers = new Headers({ authorization: `Bearer ${admin.token}` });
    const res = await exportCalls(
      new Request(`http://toolgate.test/x?format=${format}`, { headers }),
      { params: Promise.resolve({}) },
    );
    const reader = res.body!.getReader();
    let bytes = 0;
    let lines = 0;
    let reads = 0;
    // What the export keeps alive (heap after a full GC, every 50 chunks), when --expose-gc is
    // given: RSS alone also counts garbage V8 has not collected yet.
    const heapBefore = global.gc ? (global.gc(), process.memoryUsage().heapUsed) : 0;
    let livePeak = heapBefore;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      for (const b of value) if (b === 10) lines += 1;
      peak = Math.max(peak, process.memoryUsage().rss);
      if (global.gc && (reads += 1) % 50 === 0) {
        global.gc();
        livePeak = Math.max(livePeak, process.memoryUsage().heapUsed);
      }
    }
    clearInterval(sampler);
    const ms = performance.now() - start;
    console.log(
      `  ${format}: ${lines} lines, ${mib(bytes)} in ${(ms / 1000).toFixed(1)} s; RSS ${mib(before)} before, peak ${mib(peak)} (+${mib(peak - before)})` +
        (global.gc ? `; live heap +${mib(livePeak - heapBefore)} at most` : ""),
    );
  }
} finally {
  await getMcpPool().close();
  await mcp.close();
  await fake.close();
  setDbHandleForTests(undefined);
  await db.drop();
}
