// What the tool catalogue adds to a warm turn: every listing is compared with the stored
// catalogue (lib/mcp-config/catalogue-plan.ts). 20 servers x 50 tools, warm pool, nothing
// changed, so nothing may be written; the comparison measured alone and against the turn.
import { startMcpTestServer } from "@/e2e/fixtures/mcp-test-server";
import { findMcpServer } from "@/db/queries/mcp-servers";
import { loadToolGovernance } from "@/db/queries/mcp-tools";
import { assembleTurnTools } from "@/lib/chat/tools/assemble";
import { turnContextOf } from "@/lib/chat/tools/context";
import { planCatalogue } from "@/lib/mcp-config/catalogue-plan";
import { McpPool } from "@/lib/mcp/pool";
import type { BenchContext } from "../context";
import { medianMs, ROUNDS } from "../measure";
import { ms, ratio, type SectionReport } from "../report";
import type { BenchSection } from "../section";

const SERVERS = 20;
const TOOLS = 50;

export const catalogue: BenchSection = {
  id: "catalogue",
  title: `Catalogue bookkeeping on a warm turn, ${SERVERS} servers x ${TOOLS} tools (ms)`,
  inProcess: true,
  async run(ctx: BenchContext, report: SectionReport) {
    const db = ctx.db.handle.db;
    const wide = await Promise.all(
      Array.from({ length: SERVERS }, () =>
        startMcpTestServer({ tools: [], manyTools: { count: TOOLS } }),
      ),
    );
    for (const s of wide) ctx.own(() => s.close());
    const ids: string[] = [];
    for (const [i, s] of wide.entries()) {
      ids.push(
        await ctx.addConfig({
          display_name: `Wide ${i}`,
          slug: `wide${i}`,
          url: s.mcpUrl,
          enabled: true,
        }),
      );
    }
    const pool = new McpPool();
    try {
      const turn = turnContextOf(
        { id: ctx.admin.user.id, parentChatId: null, workspaceId: null, mcpServerIds: ids },
        { id: ctx.admin.user.id, role: "member" },
        false,
        "root",
      );
      const run = () => assembleTurnTools(db, turn, { pool });
      await run(); // first sight records every tool
      const warmTurn = await medianMs(ROUNDS * 2, run);
      const rows = await Promise.all(ids.map((id) => findMcpServer(db, id)));
      const listings = await Promise.all(
        rows.map(async (row) => {
          const listed = await pool.listTools({
            serverId: row!.id,
            version: row!.version,
            url: row!.url,
            transport: row!.transport,
            headers: {},
            userId: ctx.admin.user.id,
          });
          if (!listed.ok || listed.tools.length !== TOOLS) throw new Error("unexpected listing");
          return listed.tools;
        }),
      );
      const known = await loadToolGovernance(db, ids);
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
      const without = warmTurn - bookkeeping;
      report.figure({ label: "warm turn's tool assembly, with bookkeeping", value: ms(warmTurn) });
      report.figure({
        label: "catalogue bookkeeping (nothing written)",
        value: `${bookkeeping.toFixed(3)} ms, ${ratio(warmTurn / without)} the turn without it`,
        goal: { text: "< 0.5 ms", met: bookkeeping < 0.5 },
      });
    } finally {
      await pool.close();
    }
  },
};
