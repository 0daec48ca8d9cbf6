// The start cost of one workspace command (`true`) in the OS sandbox, against a plain spawn.
import { spawn } from "node:child_process";
import { WorkspaceRoot } from "@/lib/workspace/agent/paths";
import { WorkspaceSandbox } from "@/lib/workspace/sandbox/sandbox";
import { readSandboxSettings } from "@/lib/workspace/sandbox/settings";
import { medianMs } from "../measure";
import { ms, NotRun, type SectionReport } from "../report";
import type { BenchSection } from "../section";
import { tempDir } from "../temp";

const RUNS = 50;

function runOnce(file: string, args: string[], env: NodeJS.ProcessEnv, fds: number[] = []) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(file, args, { env, stdio: ["ignore", "ignore", "ignore", ...fds] });
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${file} exited ${code}`)),
    );
  });
}

export const sandbox: BenchSection = {
  id: "sandbox",
  title: `Workspace sandbox: start cost of one command (\`true\`, median of ${RUNS} runs)`,
  inProcess: false,
  async run(_ctx, report: SectionReport) {
    const wsDir = tempDir("ws");
    const box = new WorkspaceSandbox(await WorkspaceRoot.open(wsDir), readSandboxSettings());
    const status = await box.start();
    if (!status.available) throw new NotRun(`the sandbox is unavailable: ${status.reason}`);
    try {
      const plain = await medianMs(RUNS, () =>
        runOnce("/bin/true", [], { PATH: "/usr/bin:/bin" } as unknown as NodeJS.ProcessEnv),
      );
      const sandboxed = async (mode: "normal" | "plan") => {
        const prepared = await box.prepare({
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
      const normal = await medianMs(RUNS, () => sandboxed("normal"));
      const plan = await medianMs(RUNS, () => sandboxed("plan"));
      report.figure({ label: "unsandboxed spawn (baseline)", value: ms(plain) });
      for (const [label, value] of [
        ["normal mode (prlimit + nsenter + bwrap): added", normal - plain],
        ["plan mode (bwrap, own empty network): added", plan - plain],
      ] as const) {
        report.figure({ label, value: ms(value), goal: { text: "< 50 ms", met: value < 50 } });
      }
    } finally {
      await box.close();
    }
  },
};
