// Running the sandbox's helper programs (bwrap, unshare, nsenter, prlimit) with a fixed PATH
// and nothing else of the caller's environment.
import { spawn, type ChildProcess } from "node:child_process";

/** The launcher chain (prlimit, nsenter, bwrap) gets a fixed PATH and nothing else. */
export const CHAIN_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
export const chainEnv = () => ({ PATH: CHAIN_PATH }) as unknown as NodeJS.ProcessEnv;

/** Runs a helper to completion (10 s at most) and keeps the start of its output. */
export function run(
  file: string,
  args: string[],
  extra: { timeoutMs?: number; uid?: number } = {},
) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    let output = "";
    let child: ChildProcess;
    try {
      child = spawn(file, args, {
        stdio: ["ignore", "pipe", "pipe"],
        env: chainEnv(),
        ...(extra.uid !== undefined && { uid: extra.uid, gid: extra.uid }),
      });
    } catch (err) {
      resolve({ code: null, output: (err as Error).message });
      return;
    }
    const timer = setTimeout(() => child.kill("SIGKILL"), extra.timeoutMs ?? 10_000);
    child.stdout?.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr?.on("data", (c: Buffer) => (output += c.toString()));
    child.once("error", (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ code: null, output: err.code === "ENOENT" ? `${file} not found` : err.message });
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output: output.trim().slice(0, 500) });
    });
  });
}
