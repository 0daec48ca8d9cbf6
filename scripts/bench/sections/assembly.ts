// Warm tool assembly: 20 selected servers among 100 enabled configs, 1,000 tools on one
// server, and the per-step cost of the offered tools' JSON Schemas.
import { asSchema } from "ai";
import { startMcpTestServer } from "@/e2e/fixtures/mcp-test-server";
import { assembleTurnTools } from "@/lib/chat/tools/assemble";
import type { BuiltinRunContext } from "@/lib/chat/tools/builtin-tools";
import { turnContextOf } from "@/lib/chat/tools/context";
import { McpPool } from "@/lib/mcp/pool";
import type { BenchContext } from "../context";
import { medianMs, ROUNDS, timeMs } from "../measure";
import { ms, ratio, type SectionReport } from "../report";
import type { BenchSection } from "../section";

const UNSELECTED_CONFIGS = 80;
const MANY_TOOLS = 1000;

/** Built-ins are offered only with a run context; this one is never executed. */
function runContext(ctx: BenchContext): BuiltinRunContext {
  return {
    db: ctx.db.handle.db,
    chat: { id: "bench-chat", title: "Bench", workspaceId: null, parentChatId: null } as never,
    ownerId: ctx.admin.user.id,
    planMode: false,
    agent: "root",
    turns: {
      start: () => Promise.reject(new Error("not in the bench")),
      cancel: () => Promise.resolve(false),
    },
    emitPart: () => undefined,
  };
}

function assembler(ctx: BenchContext, pool: McpPool, serverIds: string[]) {
  const turn = turnContextOf(
    { id: ctx.admin.user.id, parentChatId: null, workspaceId: null, mcpServerIds: serverIds },
    { id: ctx.admin.user.id, role: "member" },
    false,
    "root",
  );
  const run = runContext(ctx);
  return () => assembleTurnTools(ctx.db.handle.db, turn, { pool, run });
}

export const assembly: BenchSection = {
  id: "assembly",
  title: "Tool assembly per turn (ms)",
  inProcess: true,
  async run(ctx: BenchContext, report: SectionReport) {
    // 80 more enabled configs nobody selected: a turn must not pay for them.
    for (let i = 0; i < UNSELECTED_CONFIGS; i++) {
      await ctx.addConfig({
        display_name: `Idle ${i}`,
        slug: `idle${i}`,
        url: `http://127.0.0.1:9/idle${i}`,
        enabled: true,
        availability: "default_on",
      });
    }
    const selected = ctx.serverIds;
    const label = `${selected.length} selected of ${selected.length + UNSELECTED_CONFIGS} configs`;

    // The seeds' design: connect and list every server on every turn, then disconnect.
    const reconnect = await medianMs(Math.max(5, Math.floor(ROUNDS / 2)), async () => {
      const pool = new McpPool();
      const tools = await assembler(ctx, pool, selected)();
      const mcp = Object.keys(tools.tools).filter((n) => n.startsWith("bench"));
      if (mcp.length !== selected.length * 4) throw new Error(`unexpected tools: ${mcp.length}`);
      await pool.close();
    });
    report.figure({ label: `${label}: reconnect every turn`, value: ms(reconnect) });
    const pool = new McpPool();
    try {
      const run = assembler(ctx, pool, selected);
      const cold = await timeMs(run);
      report.figure({ label: `${label}: cold (first turn)`, value: ms(cold) });
      const warm = await medianMs(ROUNDS * 4, run);
      report.figure({
        label: `${label}: warm (pooled)`,
        value: `${ms(warm)} ${ratio(reconnect / warm)} faster`,
        goal: { text: "<= 3 ms", met: warm <= 3 },
      });

      // The per-step cost the model call pays: every offered tool's JSON Schema.
      const assembled = await run();
      const schemas = async () => {
        for (const tool of Object.values(assembled.tools))
          await asSchema(tool.inputSchema).jsonSchema;
      };
      const perStep = await medianMs(ROUNDS * 4, schemas);
      report.figure({
        label: `JSON Schemas of the ${Object.keys(assembled.tools).length} offered tools, per step`,
        value: ms(perStep),
        goal: { text: "<= 0.1 ms (built once)", met: perStep <= 0.1 },
      });

      const many = await startMcpTestServer({ tools: [], manyTools: { count: MANY_TOOLS } });
      ctx.own(() => many.close());
      const manyId = await ctx.addConfig({
        display_name: "Many tools",
        slug: "many",
        url: many.mcpUrl,
        enabled: true,
      });
      const runMany = assembler(ctx, pool, [manyId]);
      const first = await runMany();
      // Every tool is listed and decided; the turn cap (1,000 with the built-ins) leaves a few out.
      const rows = first.rows.filter((r) => r.server_id === manyId).length;
      const offered = Object.keys(first.tools).filter((n) => n.startsWith("many__")).length;
      if (rows !== MANY_TOOLS || offered < MANY_TOOLS - 50) {
        throw new Error(`${rows} listed, ${offered} offered of ${MANY_TOOLS} tools`);
      }
      const warmMany = await medianMs(ROUNDS * 2, runMany);
      report.figure({
        label: `${MANY_TOOLS} tools on one server (${offered} offered): warm`,
        value: ms(warmMany),
        goal: { text: "<= 5 ms", met: warmMany <= 5 },
      });
    } finally {
      await pool.close();
    }
  },
};
