// Not part of the bench: where a turn's time goes, on PGlite. The bench's baseline script, then
// toolgate turns, each timed; per statement of a turn its count and ms inside the database.
// Each phase prints its window (monotonic microseconds) for a CPU profile taken with
// `node --cpu-prof --import tsx --conditions=react-server scripts/bench/profile-turn.ts`,
// to compare the two side by side. PROFILE_TURNS=n.
import "./env";

import { PGlite } from "@electric-sql/pglite";
import { PglitePreparedQuery } from "drizzle-orm/pglite/session";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { jsonSchema, stepCountIs, streamText, tool } from "ai";
import { createBenchContext } from "./context";
import { newChat, toolgateTurn } from "./sections/turn";

type Stat = { n: number; ms: number };
const stats = new Map<string, Stat>();
let current = "";
let inDb = 0;
const proto = PGlite.prototype as unknown as {
  _runExclusiveQuery: (fn: () => Promise<unknown>) => Promise<unknown>;
};
const run = proto._runExclusiveQuery;
proto._runExclusiveQuery = function (fn) {
  const label = current;
  return run.call(this, async () => {
    const t = performance.now();
    try {
      return await fn();
    } finally {
      const d = performance.now() - t;
      inDb += d;
      const s = stats.get(label) ?? { n: 0, ms: 0 };
      s.n += 1;
      s.ms += d;
      stats.set(label, s);
    }
  });
};
const pq = PglitePreparedQuery.prototype as unknown as {
  execute: (...a: unknown[]) => Promise<unknown>;
  all: (...a: unknown[]) => Promise<unknown>;
  queryString: string;
};
for (const m of ["execute", "all"] as const) {
  const orig = pq[m];
  pq[m] = function (this: { queryString: string }, ...a: unknown[]) {
    current = this.queryString.replace(/\s+/g, " ").slice(0, 140);
    return orig.apply(this, a);
  };
}

const { ctx, teardown } = await createBenchContext();
// The bench's baseline script, for a CPU profile window of its own.
const provider = createOpenAICompatible({ name: "fake", baseURL: ctx.fake.url });
const client = new Client({ name: "bench-script", version: "1.0.0" });
await client.connect(new StreamableHTTPClientTransport(new URL(ctx.servers[0]!.mcpUrl)));
const { tools: listed } = await client.listTools();
const echo = listed.find((t) => t.name === "echo")!;
const scriptTools = {
  bench0__echo: tool({
    description: echo.description ?? "",
    inputSchema: jsonSchema<Record<string, unknown>>(echo.inputSchema as never),
    execute: async (args) => (await client.callTool({ name: "echo", arguments: args })).content,
  }),
};
let sk = 0;
const script = async () => {
  const key = `script-${++sk}-${Date.now()}`;
  ctx.fake.script(key, [
    { toolCalls: [{ name: "bench0__echo", arguments: { text: "hi" } }] },
    { text: "done" },
  ]);
  const result = streamText({
    model: provider("fake-model"),
    messages: [{ role: "user", content: key }],
    tools: scriptTools,
    stopWhen: stepCountIs(5),
  });
  await result.text;
};
for (let i = 0; i < 5; i++) await script();
const sFrom = process.hrtime.bigint() / 1000n;
const sTimes: number[] = [];
for (let i = 0; i < Number(process.env.PROFILE_TURNS ?? 30); i++) {
  const t = performance.now();
  await script();
  sTimes.push(performance.now() - t);
}
sTimes.sort((a, b) => a - b);
console.log(
  `script window ${sFrom} ${process.hrtime.bigint() / 1000n} median ${sTimes[Math.floor(sTimes.length / 2)]!.toFixed(2)} ms`,
);
const turns = Number(process.env.PROFILE_TURNS ?? 30);
const chats: string[] = [];
for (let i = 0; i < turns + 5; i++) chats.push(await newChat(ctx.admin, [ctx.serverIds[0]!]));
for (let i = 0; i < 5; i++) await toolgateTurn(ctx, ctx.admin, chats.pop()!);
stats.clear();
inDb = 0;
const times: number[] = [];
const from = process.hrtime.bigint() / 1000n;
for (let i = 0; i < turns; i++) {
  const t = performance.now();
  await toolgateTurn(ctx, ctx.admin, chats.pop()!);
  times.push(performance.now() - t);
}
console.log(`window ${from} ${process.hrtime.bigint() / 1000n}`);
times.sort((a, b) => a - b);
console.log(`turn median ${times[Math.floor(turns / 2)]!.toFixed(2)} ms`);
console.log(`in database per turn ${(inDb / turns).toFixed(2)} ms`);
const rows = [...stats.entries()].sort((a, b) => b[1].ms - a[1].ms);
for (const [q, s] of rows) {
  console.log(`${(s.n / turns).toFixed(1)}x ${(s.ms / s.n).toFixed(3)} ms  ${q}`);
}
await client.close();
await teardown();
process.exit(0);
