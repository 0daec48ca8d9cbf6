import "server-only";
// What a workspace is on this host, outside the sandbox: its own uid (when the app is root),
// a directory that uid owns, a DATA_DIR the uid can walk through to it and nothing more, and
// the processes to sweep when the workspace stops. See docs/workspace-sandbox.md.
import { createHash } from "node:crypto";
import { readlinkSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { getEnv } from "@/lib/env";
import { hasProc, listPids, procStat, procText } from "./agent/proc";
import { processAlive } from "./agent/process-groups";

export function workspacesRoot(): string {
  return path.join(getEnv().dataDir, "workspaces");
}

export function logsRoot(): string {
  return path.join(getEnv().dataDir, "workspace-logs");
}

/** Workspace uids live in [UID_BASE, UID_BASE + UID_SPAN): unused by Debian's own ranges. */
const UID_BASE = 200_000;
const UID_SPAN = 800_000;

const runningAsRoot = () => process.getuid?.() === 0;

/**
 * The uid a workspace's agent and commands run as: one per workspace, derived from its id, so
 * nothing needs allocating and every instance agrees. Only when the app is root (otherwise
 * it cannot switch users, and the sandbox's namespaces are the isolation).
 */
export function workspaceUid(id: string): number | undefined {
  if (!runningAsRoot()) return undefined;
  const n = createHash("sha256").update(id).digest().readUInt32BE(0);
  return UID_BASE + (n % UID_SPAN);
}

/**
 * A workspace's agent (another uid) must be able to walk to its directory, and to nothing
 * else: DATA_DIR and DATA_DIR/workspaces become traverse-only (0711) for others, and every
 * other entry of DATA_DIR (keys, auth secret, database, logs) is made private to the app.
 */
export function prepareDataDir(): Promise<void> {
  // Once per process and data directory: the modes do not change back, and every create and
  // start would otherwise walk DATA_DIR again.
  const dataDir = getEnv().dataDir;
  let pending = prepared.get(dataDir);
  if (!pending) {
    pending = applyDataDirModes(dataDir).catch((err: unknown) => {
      prepared.delete(dataDir);
      throw err;
    });
    prepared.set(dataDir, pending);
  }
  return pending;
}

const prepared = new Map<string, Promise<void>>();

async function applyDataDirModes(dataDir: string): Promise<void> {
  await fs.mkdir(workspacesRoot(), { recursive: true, mode: 0o711 });
  if (!runningAsRoot()) return;
  await fs.chmod(dataDir, 0o711);
  await fs.chmod(workspacesRoot(), 0o711);
  for (const entry of await fs.readdir(dataDir, { withFileTypes: true })) {
    if (entry.name === "workspaces") continue;
    const full = path.join(dataDir, entry.name);
    if (entry.isDirectory()) await fs.chmod(full, 0o700);
    else if (entry.isFile()) await fs.chmod(full, 0o600);
  }
}

/** Gives the workspace tree to its uid (lchown: a symlink inside is never followed). */
async function chownTree(dir: string, uid: number): Promise<void> {
  await fs.lchown(dir, uid, uid);
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await chownTree(full, uid);
    else await fs.lchown(full, uid, uid);
  }
}

export async function ensureOwnership(id: string, dir: string): Promise<void> {
  const uid = workspaceUid(id);
  if (uid === undefined) return;
  await fs.chmod(dir, 0o700);
  const stat = await fs.lstat(dir);
  if (stat.uid !== uid) await chownTree(dir, uid);
}

// ---------------------------------------------------------------------------
// Processes

/** Whether `pid` is this workspace's agent (not a recycled pid of something else). */
export function isAgentOf(pid: number, dir: string): boolean {
  if (!processAlive(pid)) return false;
  if (!hasProc) return true;
  const argv = (procText(pid, "cmdline") ?? "").split("\0");
  return argv.includes(dir);
}

export function processGroupOf(pid: number): number | undefined {
  const pgrp = procStat(pid)?.pgrp;
  return pgrp !== undefined && Number.isInteger(pgrp) && pgrp > 1 ? pgrp : undefined;
}

/** Every process running as `uid` (real or effective), from /proc/<pid>/status. */
function processesOfUid(uid: number): number[] {
  return listPids().filter((pid) => {
    const status = procText(pid, "status");
    const line = status?.split("\n").find((l) => l.startsWith("Uid:"));
    const ids = line?.split(/\s+/).slice(1, 3).map(Number) ?? [];
    return ids.includes(uid);
  });
}

/**
 * Last resort after a hard kill (and on every stop): with a uid of its own, everything the
 * workspace ever started runs as that uid, so killing the uid's processes leaves nothing
 * behind, double forks and setsid included. Without one, every process whose HOME is the
 * workspace (the agent sets it for everything it starts) loses its whole process group.
 */
export function sweepWorkspaceProcesses(id: string, dir: string): void {
  if (!hasProc) return;
  const uid = workspaceUid(id);
  if (uid !== undefined) {
    // Twice: a fork racing the first pass is caught by the second.
    for (let pass = 0; pass < 2; pass += 1) {
      for (const pid of processesOfUid(uid)) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // Already gone.
        }
      }
    }
    return;
  }
  const needle = `\0HOME=${dir}\0`;
  for (const pid of listPids()) {
    if (pid === process.pid || !processAlive(pid)) continue;
    const environ = procText(pid, "environ");
    if (!environ || !`\0${environ}`.includes(needle)) continue;
    let cwdInside = false;
    try {
      const cwd = readlinkSync(`/proc/${pid}/cwd`);
      cwdInside = cwd === dir || cwd.startsWith(`${dir}/`);
    } catch {
      cwdInside = true;
    }
    if (!cwdInside && !(procText(pid, "cmdline") ?? "").includes(dir)) continue;
    const pgrp = processGroupOf(pid);
    try {
      if (pgrp !== undefined && pgrp !== process.pid) process.kill(-pgrp, "SIGKILL");
      process.kill(pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
}
