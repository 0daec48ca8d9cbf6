import type { BenchContext } from "./context";
import type { SectionReport } from "./report";

interface SectionBase {
  /** For BENCH_ONLY=id,id. */
  id: string;
  title: string;
}

/**
 * One part of the bench. `run` reports its figures (each with its goal, or as a reference);
 * it throws NotRun when it cannot run here, any other error when it failed. In-process
 * sections get the shared database, users, fake model and MCP servers; the others (the build,
 * a separate server) get none, so running only them starts nothing in process.
 */
export type BenchSection =
  | (SectionBase & {
      inProcess: true;
      run(ctx: BenchContext, report: SectionReport): Promise<void>;
    })
  | (SectionBase & {
      inProcess: false;
      run(ctx: undefined, report: SectionReport): Promise<void>;
    });
