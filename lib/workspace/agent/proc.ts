// The one reader of /proc, for the agent (its process groups) and the host (the workspace's
// processes to sweep). Linux only: where /proc is missing, `hasProc` is false and callers fall
// back to what process.kill(pid, 0) can tell. Lives beside the agent because the agent runs
// on its own and may import nothing outside its folder's reach.
import { readdirSync, readFileSync } from "node:fs";

export const hasProc = (() => {
  try {
    readdirSync("/proc/self");
    return true;
  } catch {
    return false;
  }
})();

/** A file of /proc/<pid>, or undefined when the process is gone or the file unreadable. */
export function procText(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, "utf8");
  } catch {
    return undefined;
  }
}

export interface ProcStat {
  /** State letter: R, S, D, Z (zombie), X (dead), … */
  state: string;
  ppid: number;
  pgrp: number;
}

/** The fields of /proc/<pid>/stat we use, or undefined when there is no such process. */
export function procStat(pid: number): ProcStat | undefined {
  const text = procText(pid, "stat");
  if (text === undefined) return undefined;
  // The command name may hold spaces and parentheses: fields start after the last ")".
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  return { state: fields[0] ?? "", ppid: Number(fields[1]), pgrp: Number(fields[2]) };
}

/** Whether a stat describes a process that still runs (a zombie does not). */
export const runs = (stat: ProcStat | undefined): stat is ProcStat =>
  stat !== undefined && stat.state !== "Z" && stat.state !== "X";

/** Every pid /proc lists right now. */
export function listPids(): number[] {
  if (!hasProc) return [];
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}
