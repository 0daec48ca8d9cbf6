// npm run bench: every figure with its goal and a met / NOT met verdict, as ratios against
// baselines measured in the same run where a ratio is the goal, so figures compare across
// machines. In process on an in-memory PGlite (BENCH_DB=postgres with DATABASE_URL for
// Postgres); the HTTP and bundle sections use the build in .next.
//
// BENCH_ONLY=id,id runs some sections; BENCH_REQUIRE_ALL=1 makes a section that could not run
// (no build, no sandbox) fail the run. A missed goal is reported, never an exit code; a section
// that threw or measured nothing is, since its figures are missing.
import "./env";

import { createBenchContext, type BenchContext } from "./context";
import { ROUNDS, DURATION_MS } from "./measure";
import { NotRun, SectionReport } from "./report";
import { SECTIONS } from "./sections";
import { removeTempDirs } from "./temp";

type Outcome = {
  id: string;
  status: "ok" | "not run" | "failed";
  detail?: string;
  missed: number;
  met: number;
};

async function main(): Promise<number> {
  const only = process.env.BENCH_ONLY?.split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = only?.filter((id) => !SECTIONS.some((s) => s.id === id)) ?? [];
  if (unknown.length > 0) {
    console.error(
      `Unknown section(s): ${unknown.join(", ")}; known: ${SECTIONS.map((s) => s.id).join(", ")}`,
    );
    return 2;
  }
  const sections = SECTIONS.filter((s) => only === undefined || only.includes(s.id));
  const db = process.env.BENCH_DB === "postgres" ? "postgres" : "pglite";
  console.log(
    `toolgate bench (${db}; medians of ${ROUNDS} rounds, throughput over ${DURATION_MS} ms)\n`,
  );
  let shared: { ctx: BenchContext; teardown(): Promise<void> } | undefined;
  const outcomes: Outcome[] = [];
  try {
    for (const section of sections) {
      console.log(`${section.title}`);
      const report = new SectionReport();
      let outcome: Outcome;
      try {
        if (section.inProcess) {
          shared ??= await createBenchContext();
          await section.run(shared.ctx, report);
        } else {
          await section.run(undefined, report);
        }
        outcome =
          report.figures.length === 0
            ? { id: section.id, status: "failed", detail: "it measured nothing", met: 0, missed: 0 }
            : { id: section.id, status: "ok", met: 0, missed: 0 };
      } catch (error) {
        outcome =
          error instanceof NotRun
            ? { id: section.id, status: "not run", detail: error.message, met: 0, missed: 0 }
            : {
                id: section.id,
                status: "failed",
                detail: error instanceof Error ? (error.stack ?? error.message) : String(error),
                met: 0,
                missed: 0,
              };
      }
      for (const figure of report.figures) {
        if (figure.goal?.met === true) outcome.met += 1;
        if (figure.goal?.met === false) outcome.missed += 1;
      }
      if (outcome.status !== "ok")
        console.log(`  ${outcome.status.toUpperCase()}: ${outcome.detail}`);
      console.log("");
      outcomes.push(outcome);
    }
  } finally {
    await shared?.teardown();
  }

  const met = outcomes.reduce((n, o) => n + o.met, 0);
  const missed = outcomes.reduce((n, o) => n + o.missed, 0);
  const count = (status: Outcome["status"]) => outcomes.filter((o) => o.status === status);
  console.log(
    `Summary: goals ${met} met, ${missed} NOT met; sections ${count("ok").length} ran, ` +
      `${count("not run").length} not run${
        count("not run").length
          ? ` (${count("not run")
              .map((o) => o.id)
              .join(", ")})`
          : ""
      }, ` +
      `${count("failed").length} failed${
        count("failed").length
          ? ` (${count("failed")
              .map((o) => o.id)
              .join(", ")})`
          : ""
      }`,
  );
  if (count("failed").length > 0) return 1;
  if (process.env.BENCH_REQUIRE_ALL === "1" && count("not run").length > 0) return 1;
  return 0;
}

let code = 1;
try {
  code = await main();
} finally {
  removeTempDirs();
}
process.exit(code);
