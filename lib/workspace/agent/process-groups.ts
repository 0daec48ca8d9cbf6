// Every child the agent starts leads its own process group (spawn with detached: true), so
// the agent can end the child and everything it forked with one kill(-pgid). The registry
// remembers each group until none of its members is left, and kills them all on stop.
import { readdirSync, readFileSync } from "node:fs";

/**
 * The environment a workspace child sees: nothing of the agent's own (which may hold the
 * agent's token or host secrets) beyond PATH and LANG; HOME is the workspace itself.
 */
export function scrubbedEnv(
  workspace: string,
  extra: Record<string, string> = {},
): NodeJS.ProcessEnv {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin",
    HOME: workspace,
    LANG: process.env.LANG ?? "C.UTF-8",
    ...extra,
  };
  // Next's types make NODE_ENV required; a workspace child gets it only when asked for.
  return env as NodeJS.ProcessEnv;
}

/** Process state letter from /proc/<pid>/stat, or undefined when there is no such process. */
function procStat(pid: number): { state: string; pgrp: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name may hold spaces and parentheses: fields start after the last ")".
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return { state: fields[0] ?? "", pgrp: Number(fields[2]) };
  } catch {
    return undefined;
  }
}

const hasProc = (() => {
  try {
    readdirSync("/proc/self");
    return true;
  } catch {
    return false;
  }
})();

/**
 * Whether a process is still running. A zombie counts as gone: orphans are reparented to
 * PID 1, which in some containers never reaps them, yet they no longer run anything.
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ESRCH") return false;
  }
  if (!hasProc) return true;
  const stat = procStat(pid);
  return stat !== undefined && stat.state !== "Z" && stat.state !== "X";
}

/** Live (non-zombie) members of a process group. */
export function groupMembers(pgid: number): number[] {
  try {
    process.kill(-pgid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ESRCH") return [];
  }
  if (!hasProc) return [pgid];
  const members: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const stat = procStat(Number(name));
    if (stat && stat.pgrp === pgid && stat.state !== "Z" && stat.state !== "X") {
      members.push(Number(name));
    }
  }
  return members;
}

export function groupAlive(pgid: number): boolean {
  return groupMembers(pgid).length > 0;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class GroupRegistry {
  private readonly groups = new Set<number>();
  private readonly pruner: NodeJS.Timeout;

  constructor() {
    // Forget groups that ended on their own, so a recycled pgid is never signalled.
    this.pruner = setInterval(() => this.prune(), 5_000);
    this.pruner.unref();
  }

  add(pgid: number): void {
    this.groups.add(pgid);
  }

  has(pgid: number): boolean {
    return this.groups.has(pgid);
  }

  list(): number[] {
    return [...this.groups];
  }

  prune(): void {
    for (const pgid of this.groups) if (!groupAlive(pgid)) this.groups.delete(pgid);
  }

  /** Sends a signal to the whole group; false when the group is gone. */
  signal(pgid: number, signal: NodeJS.Signals): boolean {
    if (!this.groups.has(pgid)) return false;
    try {
      process.kill(-pgid, signal);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ESRCH") {
        this.groups.delete(pgid);
        return false;
      }
      throw err;
    }
  }

  /** SIGTERM, then SIGKILL after the grace period; resolves once no member is left. */
  async terminate(pgid: number, graceMs = 2_000): Promise<void> {
    if (!this.signal(pgid, "SIGTERM")) return;
    const deadline = Date.now() + graceMs;
    while (groupAlive(pgid) && Date.now() < deadline) await sleep(25);
    if (groupAlive(pgid)) {
      this.signal(pgid, "SIGKILL");
      const killDeadline = Date.now() + 2_000;
      while (groupAlive(pgid) && Date.now() < killDeadline) await sleep(25);
    }
    this.groups.delete(pgid);
  }

  async terminateAll(graceMs = 2_000): Promise<void> {
    await Promise.all(this.list().map((pgid) => this.terminate(pgid, graceMs)));
  }

  /** Last resort on process exit, where nothing asynchronous runs any more. */
  killAllSync(): void {
    for (const pgid of this.groups) {
      try {
        process.kill(-pgid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
    this.groups.clear();
  }

  dispose(): void {
    clearInterval(this.pruner);
  }
}
