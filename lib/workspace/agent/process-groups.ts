// Every child the agent starts leads its own process group (spawn with detached: true), so
// the agent can end the child and everything it forked with one kill(-pgid). The registry
// remembers each group until none of its members is left, and kills them all on stop.
import { hasProc, listPids, procStat, runs } from "./proc";

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
  return runs(procStat(pid));
}

/** Live (non-zombie) members of a process group. */
export function groupMembers(pgid: number): number[] {
  try {
    process.kill(-pgid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ESRCH") return [];
  }
  if (!hasProc) return [pgid];
  return listPids().filter((pid) => {
    const stat = procStat(pid);
    return runs(stat) && stat.pgrp === pgid;
  });
}

export function groupAlive(pgid: number): boolean {
  return groupMembers(pgid).length > 0;
}

/**
 * Every live descendant of `pid`. A sandboxed command runs in its own session and PID
 * namespace below its launcher, so its processes are found by parentage, not by group;
 * orphans inside the sandbox are adopted by the sandbox's init, still a descendant.
 */
export function descendants(pid: number): number[] {
  if (!hasProc) return [];
  const children = new Map<number, number[]>();
  for (const child of listPids()) {
    const stat = procStat(child);
    if (!runs(stat)) continue;
    const list = children.get(stat.ppid) ?? [];
    list.push(child);
    children.set(stat.ppid, list);
  }
  const out: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      out.push(child);
      queue.push(child);
    }
  }
  return out;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class GroupRegistry {
  private readonly groups = new Set<number>();
  /** Groups whose leader is a sandbox launcher rather than the command itself. */
  private readonly sandboxed = new Set<number>();
  private readonly pruner: NodeJS.Timeout;

  constructor() {
    // Forget groups that ended on their own, so a recycled pgid is never signalled.
    this.pruner = setInterval(() => this.prune(), 5_000);
    this.pruner.unref();
  }

  add(pgid: number, options: { sandboxed?: boolean } = {}): void {
    this.groups.add(pgid);
    if (options.sandboxed) this.sandboxed.add(pgid);
  }

  has(pgid: number): boolean {
    return this.groups.has(pgid);
  }

  list(): number[] {
    return [...this.groups];
  }

  prune(): void {
    for (const pgid of this.groups) if (!groupAlive(pgid)) this.forget(pgid);
  }

  private forget(pgid: number): void {
    this.groups.delete(pgid);
    this.sandboxed.delete(pgid);
  }

  /**
   * Sends a signal to the whole group; false when the group is gone. For a sandboxed command
   * anything but SIGKILL goes to the processes inside the sandbox, not to the launcher: the
   * launcher would die of it and take the sandbox down with SIGKILL, so a command could
   * never catch SIGTERM or SIGINT. SIGKILL goes to the launcher, which ends the whole sandbox.
   */
  signal(pgid: number, signal: NodeJS.Signals): boolean {
    if (!this.groups.has(pgid)) return false;
    try {
      if (this.sandboxed.has(pgid) && signal !== "SIGKILL") {
        process.kill(-pgid, 0);
        for (const pid of descendants(pgid)) {
          try {
            process.kill(pid, signal);
          } catch {
            // Gone meanwhile.
          }
        }
        return true;
      }
      process.kill(-pgid, signal);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ESRCH") {
        this.forget(pgid);
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
    this.forget(pgid);
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
    this.sandboxed.clear();
  }

  dispose(): void {
    clearInterval(this.pruner);
  }
}
