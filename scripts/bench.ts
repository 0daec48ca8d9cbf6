// npm run bench: figures as ratios against baselines measured in the same run, so they
// compare across machines. In-process on an in-memory PGlite (BENCH_DB=postgres with
// DATABASE_URL for Postgres), against real local MCP SDK servers and the fake model server.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

process.env.DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), "toolgate-bench-"));
process.env.APP_URL ??= "http://toolgate.test";
process.env.EGRESS_ALLOWLIST = "127.0.0.1";
if (process.env.BENCH_DB === "postgres") process.env.TOOLGATE_TEST_DB = "postgres";

const { GET: me } = await import("@/app/api/users/me/route");
const { GET: listUsers } = await import("@/app/api/users/route");
const { GET: health } = await import("@/app/api/health/route");
const { POST: createServer } = await import("@/app/api/mcp/servers/route");
const { POST: createChat } = await import("@/app/api/chats/route");
const { POST: sendMessage } = await import("@/app/api/chats/[id]/messages/route");
const { modelProviders } = await import("@/db/schema");
const { assembleTurnTools } = await import("@/lib/chat/tools/assemble");
const { turnContextOf } = await import("@/lib/chat/tools/context");
const { McpPool, getMcpPool } = await import("@/lib/mcp/pool");
const { findMcpServer } = await import("@/db/queries/mcp-servers");
const { loadToolGovernance } = await import("@/db/queries/mcp-tools");
const { planCatalogue } = await import("@/lib/mcp-config/catalogue-plan");
const { setDbHandleForTests } = await import("@/lib/server/database");
const { createTestDatabase } = await import("@/lib/testing/db");
const { seedUser } = await import("@/lib/testing/fixtures");
const { call, sessionCookie } = await import("@/lib/testing/http");
const { openSecret, sealSecret } = await import("@/lib/crypto/secrets");
const { startMcpTestServer } = await import("@/e2e/fixtures/mcp-test-server");
const { startFakeOpenAI } = await import("@/e2e/fixtures/fake-openai");
const { freePort } = await import("@/e2e/fixtures/server-everything");
const { WorkspaceRoot } = await import("@/lib/workspace/agent/paths");
const { WorkspaceSandbox } = await import("@/lib/workspace/sandbox/sandbox");
const { readSandboxSettings } = await import("@/lib/workspace/sandbox/settings");
const { spawn } = await import("node:child_process");

const DURATION_MS = Number(process.env.BENCH_MS ?? 1500);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);

async function throughput(fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 20; i++) await fn();
  let ops = 0;
  const start = performance.now();
  while (performance.now() - start < DURATION_MS) {
    await fn();
    ops++;
  }
  return (ops * 1000) / (performance.now() - start);
}

async function medianMs(rounds: number, fn: () => Promise<unknown>, warmup = 2): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const fmt = (n: number, digits = 2) => n.toFixed(digits).padStart(9);
const line = (label: string, value: string, ratio: string) =>
  console.log(`${label.padEnd(58)} ${value}   ${ratio}`);

const db = await createTestDatabase();
setDbHandleForTests(db.handle);
const servers = await Promise.all(
  Array.from({ length: 20 }, () =>
    startMcpTestServer({ tools: ["echo", "add", "read_docs", "whoami"] }),
  ),
);
const fake = await startFakeOpenAI();
try {
  const admin = await seedUser(db.handle.db, { role: "admin" });
  for (let i = 0; i < 50; i++) await seedUser(db.handle.db);
  await db.handle.db.insert(modelProviders).values({
    kind: "openai-compatible",
    displayName: "Fake",
    baseUrl: fake.url,
    models: ["fake-model"],
    defaultModel: "fake-model",
  });

  console.log(
    `toolgate bench (${db.handle.kind}; medians of ${ROUNDS} rounds, throughput over ${DURATION_MS} ms)\n`,
  );

  // --- API throughput -------------------------------------------------------------------
  const cookie = await sessionCookie(admin.user.id);
  const sealed = sealSecret("x".repeat(256), "bench.col:1");
  const bare = async () => Response.json({ ok: true });
  const base = await throughput(() => call(bare));
  console.log("API throughput (ops/s; ratio to a bare handler returning JSON)");
  line("baseline: bare handler", fmt(base, 0), "1.00x");
  for (const [label, fn] of [
    ["GET /api/health (SELECT 1)", () => call(health)],
    ["GET /api/users/me, Bearer token", () => call(me, { token: admin.token })],
    ["GET /api/users/me, session cookie", () => call(me, { cookie })],
    ["GET /api/users (51 users), admin", () => call(listUsers, { token: admin.token })],
    ["open a sealed 256-byte secret", async () => openSecret(sealed, "bench.col:1")],
  ] as const) {
    const ops = await throughput(fn);
    line(label, fmt(ops, 0), `${(ops / base).toFixed(2)}x`);
  }

  // --- Tool assembly ---------------------------------------------------------------------
  const ids: string[] = [];
  for (const [i, s] of servers.entries()) {
    const res = await call(createServer, {
      token: admin.token,
      body: { display_name: `Bench ${i}`, slug: `bench${i}`, url: s.mcpUrl, enabled: true },
    });
    ids.push((res.body as { id: string }).id);
  }
  const assemble = (n: number, pool: InstanceType<typeof McpPool>) =>
    assembleTurnTools(
      db.handle.db,
      turnContextOf(
        { id: admin.user.id, parentChatId: null, workspaceId: null, mcpServerIds: ids.slice(0, n) },
        { id: admin.user.id, role: "member" },
        false,
        "root",
      ),
      { pool },
    );
  console.log(
    "\nTool assembly per turn (ms; the baseline reconnects and lists every server each turn)",
  );
  const results: Record<number, { warm: number; baseline: number }> = {};
  for (const n of [1, 5, 20]) {
    // The seeds' design: connect and list every server on every turn, then disconnect.
    const baseline = await medianMs(ROUNDS, async () => {
      const pool = new McpPool();
      const assembled = await assemble(n, pool);
      if (Object.keys(assembled.tools).length !== n * 4) {
        const why = assembled.notices.map((x) => `${x.code}: ${x.detail}`).join("; ");
        throw new Error(`unexpected tool count: ${why}`);
      }
      await pool.close();
    });
    const pool = new McpPool();
    const cold = performance.now();
    await assemble(n, pool);
    const coldMs = performance.now() - cold;
    const warm = await medianMs(ROUNDS * 4, () => assemble(n, pool));
    await pool.close();
    results[n] = { warm, baseline };
    line(`${n} server(s): reconnect baseline`, fmt(baseline), "1.00x");
    line(
      `${n} server(s): cold (first turn)`,
      fmt(coldMs),
      `${(baseline / coldMs).toFixed(2)}x faster`,
    );
    line(`${n} server(s): warm (pooled)`, fmt(warm), `${(baseline / warm).toFixed(1)}x faster`);
  }
  const r20 = results[20]!;
  console.log(
    `target: warm 20 servers < 5 ms and >= 20x the baseline: ${r20.warm.toFixed(2)} ms, ${(r20.baseline / r20.warm).toFixed(1)}x -> ${
      r20.warm < 5 && r20.baseline / r20.warm >= 20 ? "met" : "NOT met"
    }`,
  );

  // --- Catalogue bookkeeping --------------------------------------------------------------
  // What the tool catalogue adds to a warm turn: every listing is compared with the stored
  // catalogue (lib/mcp-config/catalogue-sync.ts). 20 servers x 50 tools, warm pool, nothing
  // changed, so nothing may be written; measured alone, and as a share of the whole turn.
  console.log("\nCatalogue bookkeeping on a warm turn, 20 servers x 50 tools (ms)");
  const wide = await Promise.all(
    Array.from({ length: 20 }, () => startMcpTestServer({ tools: [], manyTools: { count: 50 } })),
  );
  try {
    const wideIds: string[] = [];
    for (const [i, s] of wide.entries()) {
      const res = await call(createServer, {
        token: admin.token,
        body: { display_name: `Wide ${i}`, slug: `wide${i}`, url: s.mcpUrl, enabled: true },
      });
      wideIds.push((res.body as { id: string }).id);
    }
    const widePool = new McpPool();
    const wideTurn = () =>
      assembleTurnTools(
        db.handle.db,
        turnContextOf(
          { id: admin.user.id, parentChatId: null, workspaceId: null, mcpServerIds: wideIds },
          { id: admin.user.id, role: "member" },
          false,
          "root",
        ),
        { pool: widePool },
      );
    await wideTurn(); // first sight: records 1000 tools
    const warmTurn = await medianMs(ROUNDS * 2, wideTurn);
    const rows = await Promise.all(wideIds.map((id) => findMcpServer(db.handle.db, id)));
    const listings = await Promise.all(
      rows.map(async (row) => {
        const ep = { serverId: row!.id, version: row!.version, url: row!.url };
        const listed = await widePool.listTools({
          ...ep,
          transport: row!.transport,
          headers: {},
          userId: admin.user.id,
        });
        if (!listed.ok || listed.tools.length !== 50) throw new Error("unexpected listing");
        return listed.tools;
      }),
    );
    const known = await loadToolGovernance(db.handle.db, wideIds);
    const bookkeeping = await medianMs(ROUNDS * 20, async () => {
      for (const [i, row] of rows.entries()) {
        const steps = planCatalogue(known.get(row!.id), listings[i]!, {
          pin: true,
          toolDefault: "enabled",
          planModeTools: null,
          mayRemove: true,
          shared: true,
          now: Date.now(),
        });
        if (steps.length !== 0) throw new Error("a warm turn would write to the catalogue");
      }
    });
    await widePool.close();
    const without = warmTurn - bookkeeping;
    line("warm turn, 20 servers x 50 tools", fmt(warmTurn), "1.00x");
    line("  of which catalogue bookkeeping (no writes)", fmt(bookkeeping, 3), "");
    line(
      "  same turn without it",
      fmt(without),
      `${(warmTurn / without).toFixed(3)}x (with / without)`,
    );
    console.log(
      `target: bookkeeping < 0.5 ms on a warm 20 x 50 turn: ${bookkeeping.toFixed(3)} ms -> ${
        bookkeeping < 0.5 ? "met" : "NOT met"
      }`,
    );
  } finally {
    await Promise.all(wide.map((s) => s.close()));
  }

  // --- Turn overhead ---------------------------------------------------------------------
  console.log("\nOne turn with one tool call against a zero-latency fake model (ms)");
  const oneServer = [ids[0]!];
  let turnNo = 0;
  const runTurn = async (serverIds: string[]) => {
    turnNo += 1;
    const key = `bench-turn-${turnNo}-${Date.now()}`;
    fake.script(key, [
      { toolCalls: [{ name: "bench0__echo", arguments: { text: "hi" } }] },
      { text: "done" },
    ]);
    const chat = await call(createChat, {
      token: admin.token,
      body: { mcp_server_ids: serverIds },
    });
    const chatId = (chat.body as { id: string }).id;
    const start = performance.now();
    const res = await call(sendMessage, {
      token: admin.token,
      params: { id: chatId },
      body: { content: key },
      headers: { accept: "application/json" },
    });
    if (res.status !== 200) throw new Error(`turn failed: ${JSON.stringify(res.body)}`);
    return performance.now() - start;
  };
  // Baseline: the same two model requests and the tool call, made directly, without toolgate.
  const direct = await medianMs(ROUNDS, async () => {
    turnNo += 1;
    const key = `bench-direct-${turnNo}`;
    fake.script(key, [{ text: "x" }, { text: "y" }]);
    for (let i = 0; i < 2; i++) {
      const r = await fetch(`${fake.url}/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          model: "fake-model",
          stream: true,
          messages: [{ role: "user", content: key }],
        }),
      });
      await r.text();
    }
    const pool = getMcpPool();
    await pool.callTool(
      {
        serverId: ids[0]!,
        version: 1,
        url: servers[0]!.mcpUrl,
        transport: "streamable_http",
        headers: {},
        userId: admin.user.id,
      },
      "echo",
      { text: "hi" },
    );
  });
  const times: number[] = [];
  for (let i = 0; i < ROUNDS + 2; i++) times.push(await runTurn(oneServer));
  const turnMs = times.slice(2).sort((a, b) => a - b)[Math.floor(ROUNDS / 2)]!;
  line("baseline: the model requests and tool call made directly", fmt(direct), "1.00x");
  line(
    "a toolgate turn (stored, streamed through Postgres rows)",
    fmt(turnMs),
    `${(turnMs / direct).toFixed(2)}x`,
  );
  line("server overhead of the turn", fmt(turnMs - direct), "");

  const deadPort = await freePort();
  const dead = await call(createServer, {
    token: admin.token,
    body: {
      display_name: "Dead",
      slug: "dead",
      url: `http://127.0.0.1:${deadPort}/mcp`,
      enabled: true,
    },
  });
  const withDead = [ids[0]!, (dead.body as { id: string }).id];
  const firstWithDead = await runTurn(withDead);
  const deadTimes: number[] = [];
  for (let i = 0; i < ROUNDS; i++) deadTimes.push(await runTurn(withDead));
  const deadMs = deadTimes.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)]!;
  line(
    "with one dead server: first turn (pays the failure once)",
    fmt(firstWithDead),
    `${(firstWithDead / turnMs).toFixed(2)}x`,
  );
  line(
    "with one dead server: later turns (negative cache)",
    fmt(deadMs),
    `${(deadMs / turnMs).toFixed(2)}x`,
  );

  console.log("\nWorkspace sandbox: start cost of one command (`true`, median of 50 runs, ms)");
  const wsDir = fs.mkdtempSync(path.join(os.tmpdir(), "toolgate-bench-ws-"));
  const sandbox = new WorkspaceSandbox(await WorkspaceRoot.open(wsDir), readSandboxSettings());
  const status = await sandbox.start();
  if (!status.available) throw new Error(`the sandbox is unavailable: ${status.reason}`);
  const runOnce = (file: string, args: string[], env: NodeJS.ProcessEnv, fds: number[] = []) =>
    new Promise<void>((resolve, reject) => {
      const child = spawn(file, args, { env, stdio: ["ignore", "ignore", "ignore", ...fds] });
      child.once("error", reject);
      child.once("exit", (code) =>
        code === 0 ? resolve() : reject(new Error(`${file} exited ${code}`)),
      );
    });
  const unconfined = await medianMs(50, () =>
    runOnce("/bin/true", [], { PATH: "/usr/bin:/bin" } as unknown as NodeJS.ProcessEnv),
  );
  const sandboxed = async (mode: "normal" | "plan") => {
    const prepared = await sandbox.prepare({
      mode,
      command: "/bin/true",
      args: [],
      cwd: wsDir,
      ...(mode === "plan" && { planFile: "plan.md" }),
    });
    try {
      await runOnce(prepared.file, prepared.args, prepared.env, prepared.extraFds);
    } finally {
      prepared.dispose();
    }
  };
  const normal = await medianMs(50, () => sandboxed("normal"));
  const plan = await medianMs(50, () => sandboxed("plan"));
  await sandbox.close();
  fs.rmSync(wsDir, { recursive: true, force: true });
  line("unsandboxed spawn (baseline)", fmt(unconfined), "1x");
  line(
    "normal mode (prlimit + nsenter + bwrap)",
    fmt(normal),
    `${(normal / unconfined).toFixed(1)}x, +${(normal - unconfined).toFixed(1)} ms (goal: < 50 ms added)`,
  );
  line(
    "plan mode (bwrap, own empty network)",
    fmt(plan),
    `${(plan / unconfined).toFixed(1)}x, +${(plan - unconfined).toFixed(1)} ms (goal: < 50 ms added)`,
  );
} finally {
  await getMcpPool().close();
  await Promise.all(servers.map((s) => s.close()));
  await fake.close();
  setDbHandleForTests(undefined);
  await db.drop();
}
