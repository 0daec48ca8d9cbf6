import "server-only";
// The local provisioner: workspaces are directories under DATA_DIR/workspaces/<id>, each served
// by its own agent process (scripts/agent.ts through the tsx CLI) on 127.0.0.1 with a fresh
// random token. Stopping a workspace stops its agent, which stops every process it started;
// whatever survives a hard kill is swept by its environment (HOME is the workspace).
//
// Agents outlive a restart of the app (they are detached): a workspace marked running is
// checked lazily on access (an authenticated ping with its token) and marked stopped when its
// agent is gone. Single host only: the agent listens on loopback of the machine that started it.
//
// Isolation (see docs/workspace-sandbox.md): when the app runs as root, each workspace gets a
// uid of its own; its directory belongs to that uid and its agent runs as it, so the agent
// itself can read nothing of the app's (keys, database, other workspaces) even through a
// symlink race, and every command it runs is further confined by the OS sandbox.
import { spawn, type ChildProcess } from "node:child_process";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { closeSync, openSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import fs from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import type { Database, Executor, Transaction } from "@/db/client";
import {
  countOwnWorkspacesLocked,
  deleteWorkspaceRow,
  findWorkspace,
  insertWorkspace,
  transitionWorkspace,
  updateWorkspace,
  type WorkspaceRow,
} from "@/db/queries/workspaces";
import { openSecret, sealSecret, secretAad } from "@/lib/crypto/secrets";
import { getEnv } from "@/lib/env";
import { processAlive } from "./agent/process-groups";
import { AgentClient } from "./agent-client";
import { sandboxEnvOf } from "./sandbox/settings";
import { copyTemplate, listTemplates } from "./templates";

/** How long an agent may take to print its ready line (tsx compiles on a cold start). */
export const AGENT_READY_TIMEOUT_MS = 60_000;
/** SIGTERM grace: the agent itself gives its children 2 s + 2 s before SIGKILL. */
const STOP_GRACE_MS = 10_000;
/** A fresh successful ping is trusted this long before the next access pings again. */
const PING_CACHE_MS = 2_000;
const LOG_TAIL_CHARS = 600;

export class WorkspaceProvisionError extends Error {
  override name = "WorkspaceProvisionError";
  constructor(
    readonly code:
      "workspace.unknown_template" | "workspace.start_failed" | "workspace.quota_exceeded",
    message: string,
  ) {
    super(message);
  }
}

interface LocalState {
  /** Starts in flight on this instance, so two callers share one agent. */
  starts: Map<string, Promise<WorkspaceRow>>;
  /** The tsx launcher process of each agent this instance started. */
  launchers: Map<string, ChildProcess>;
  /** Last successful ping per workspace. */
  pinged: Map<string, number>;
}

const g = globalThis as unknown as { __toolgateWorkspaces?: LocalState };
const state = (g.__toolgateWorkspaces ??= {
  starts: new Map(),
  launchers: new Map(),
  pinged: new Map(),
});

export function workspacesRoot(): string {
  return path.join(getEnv().dataDir, "workspaces");
}

function logsRoot(): string {
  return path.join(getEnv().dataDir, "workspace-logs");
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const tokenAad = (id: string) => secretAad("workspaces", "agent_token_enc", id);

export const DEFAULT_WORKSPACES_PER_USER = 10;

/** WORKSPACE_QUOTA_PER_USER: how many workspaces one user may have (running or not). */
export function workspacesPerUser(): number {
  const raw = process.env.WORKSPACE_QUOTA_PER_USER?.trim();
  const n = raw ? Number(raw) : DEFAULT_WORKSPACES_PER_USER;
  if (!Number.isInteger(n) || n < 0) {
    throw new Error("WORKSPACE_QUOTA_PER_USER must be a non-negative integer");
  }
  return n;
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
async function prepareDataDir(): Promise<void> {
  const dataDir = getEnv().dataDir;
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

async function ensureOwnership(id: string, dir: string): Promise<void> {
  const uid = workspaceUid(id);
  if (uid === undefined) return;
  await fs.chmod(dir, 0o700);
  const stat = await fs.lstat(dir);
  if (stat.uid !== uid) await chownTree(dir, uid);
}

/** The agent client of a running workspace; null when it has no agent. */
export function agentClientOf(row: WorkspaceRow): AgentClient | null {
  if (row.status !== "running" || !row.agentUrl || !row.agentTokenEnc) return null;
  return new AgentClient(row.agentUrl, openSecret(row.agentTokenEnc, tokenAad(row.id)));
}

// ---------------------------------------------------------------------------
// Create

export async function createWorkspace(
  db: Database,
  input: { ownerId: string; name: string; template: string },
  /** Runs in the inserting transaction (the audit row), so both commit together. */
  alongside?: (tx: Transaction, row: WorkspaceRow) => Promise<void>,
): Promise<WorkspaceRow> {
  const templates = await listTemplates();
  if (!templates.some((t) => t.name === input.template)) {
    throw new WorkspaceProvisionError(
      "workspace.unknown_template",
      `There is no workspace template named ${JSON.stringify(input.template)}. Known templates: ${templates.map((t) => t.name).join(", ")}.`,
    );
  }
  const id = randomUUID();
  await prepareDataDir();
  const dir = path.join(workspacesRoot(), id);
  await copyTemplate(input.template, dir);
  try {
    await ensureOwnership(id, dir);
    return await db.transaction(async (tx) => {
      const quota = workspacesPerUser();
      const owned = await countOwnWorkspacesLocked(tx, input.ownerId);
      if (owned >= quota) {
        throw new WorkspaceProvisionError(
          "workspace.quota_exceeded",
          `You already have ${owned} workspaces, the limit per user (WORKSPACE_QUOTA_PER_USER=${quota}). Delete or reuse one.`,
        );
      }
      const row = await insertWorkspace(tx, {
        id,
        ownerId: input.ownerId,
        name: input.name,
        template: input.template,
        status: "stopped",
        dir,
      });
      await alongside?.(tx, row);
      return row;
    });
  } catch (err) {
    await fs.rm(dir, { recursive: true, force: true });
    throw err;
  }
}

// ---------------------------------------------------------------------------
// Start

interface LaunchedAgent {
  url: string;
  pid: number;
  launcher: ChildProcess;
}

function agentCommand(): { file: string; args: string[]; cwd: string } {
  // The project root: the working directory under `next start`, `tsx` and Vitest, like the
  // templates; TOOLGATE_APP_ROOT overrides it for deployments that start elsewhere.
  const root = process.env.TOOLGATE_APP_ROOT ?? process.cwd();
  const resolver = createRequire(path.join(root, "package.json"));
  return {
    file: process.execPath,
    args: [
      resolver.resolve("tsx/cli"),
      "--conditions=react-server",
      path.join(root, "scripts", "agent.ts"),
    ],
    cwd: root,
  };
}

/**
 * The agent's environment: nothing of the app's own (database URL, keys, OAuth secrets) so
 * neither the agent nor a `${VAR}` in `.mcp.json` can read them; HOME is the workspace.
 */
function agentEnv(dir: string, token: string, dedicatedUid: boolean): NodeJS.ProcessEnv {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin",
    HOME: dir,
    LANG: process.env.LANG ?? "C.UTF-8",
    TOOLGATE_AGENT_TOKEN: token,
    // The sandbox's own settings only (binary, egress allowlist, limits): no app secret.
    ...sandboxEnvOf(),
  };
  if (dedicatedUid) env.TOOLGATE_DEDICATED_UID = "1";
  if (process.env.TMPDIR) env.TMPDIR = process.env.TMPDIR;
  return env as NodeJS.ProcessEnv;
}

async function logTail(file: string): Promise<string> {
  try {
    const text = (await fs.readFile(file, "utf8")).trim();
    return text.length > LOG_TAIL_CHARS ? `…${text.slice(-LOG_TAIL_CHARS)}` : text;
  } catch {
    return "";
  }
}

async function launchAgent(id: string, dir: string, token: string): Promise<LaunchedAgent> {
  const { file, args, cwd } = agentCommand();
  await fs.mkdir(logsRoot(), { recursive: true, mode: 0o700 });
  const logFile = path.join(logsRoot(), `${id}.log`);
  // stderr goes to a file, not a pipe: an agent that outlives the app must not die of EPIPE.
  const logFd = openSync(logFile, "w", 0o600);
  let child: ChildProcess;
  try {
    const uid = workspaceUid(id);
    child = spawn(file, [...args, "--dir", dir, "--listen", "127.0.0.1:0"], {
      cwd,
      env: agentEnv(dir, token, uid !== undefined),
      detached: true,
      stdio: ["ignore", "pipe", logFd],
      // Node drops supplementary groups, then sets gid and uid, before running the agent.
      ...(uid !== undefined && { uid, gid: uid }),
    });
  } finally {
    closeSync(logFd);
  }
  const killLauncher = () => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  };

  const ready = await new Promise<{ url: string; pid: number }>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => {
      cleanup();
      killLauncher();
      reject(new Error(`the agent did not start within ${AGENT_READY_TIMEOUT_MS / 1000} s`));
    }, AGENT_READY_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      out += chunk.toString("utf8");
      const newline = out.indexOf("\n");
      if (newline === -1) {
        if (out.length > 64 * 1024) out = out.slice(-64 * 1024);
        return;
      }
      cleanup();
      try {
        const line = JSON.parse(out.slice(0, newline)) as {
          event?: unknown;
          url?: unknown;
          pid?: unknown;
        };
        if (
          line.event !== "listening" ||
          typeof line.url !== "string" ||
          typeof line.pid !== "number"
        ) {
          throw new Error("unexpected ready line");
        }
        resolve({ url: line.url, pid: line.pid });
      } catch {
        killLauncher();
        reject(new Error("the agent printed an unexpected first line"));
      }
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      cleanup();
      reject(new Error(`the agent exited before it was ready (${signal ?? `exit code ${code}`})`));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(new Error(`the agent could not be started: ${err.message}`));
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout?.off("data", onData);
      child.off("exit", onExit);
      child.off("error", onError);
    };
    child.stdout?.on("data", onData);
    child.once("exit", onExit);
    child.once("error", onError);
  }).catch(async (err: Error) => {
    const tail = await logTail(logFile);
    throw new WorkspaceProvisionError(
      "workspace.start_failed",
      `Could not start the workspace agent: ${err.message}${tail ? `: ${tail}` : ""}`,
    );
  });

  // The agent writes nothing more to stdout; keep draining so it never blocks, and let this
  // process exit without waiting for it.
  child.stdout?.resume();
  (child.stdout as unknown as { unref?: () => void } | null)?.unref?.();
  child.unref();
  child.once("exit", () => {
    if (state.launchers.get(id) === child) state.launchers.delete(id);
    state.pinged.delete(id);
  });
  return { ...ready, launcher: child };
}

/**
 * Starts the workspace's agent (no-op when it runs). Concurrent starts share one agent: on
 * this instance through a shared promise, across instances through the status transition
 * stopped|error → starting, which only one of them wins. A failure leaves status "error".
 */
export function startWorkspace(db: Executor, row: WorkspaceRow): Promise<WorkspaceRow> {
  const pending = state.starts.get(row.id);
  if (pending) return pending;
  const started = doStart(db, row).finally(() => state.starts.delete(row.id));
  state.starts.set(row.id, started);
  return started;
}

async function doStart(db: Executor, row: WorkspaceRow): Promise<WorkspaceRow> {
  let current = await refreshWorkspace(db, row);
  if (current.status === "running") return current;
  let from: Array<WorkspaceRow["status"]> = ["stopped", "error"];
  if (current.status === "starting") {
    // Another instance is starting it: wait for its outcome.
    const deadline = Date.now() + AGENT_READY_TIMEOUT_MS + 5_000;
    while (current.status === "starting" && Date.now() < deadline) {
      await sleep(250);
      current = (await findWorkspace(db, row.id)) ?? current;
    }
    if (current.status === "running") return refreshWorkspace(db, current);
    // Still "starting" after the deadline: that start was abandoned, take it over.
    if (current.status === "starting") from = ["starting"];
  }
  const claimed = await transitionWorkspace(db, row.id, from, {
    status: "starting",
    error: null,
  });
  if (!claimed) return (await findWorkspace(db, row.id)) ?? current;

  let launched: LaunchedAgent | undefined;
  try {
    const stat = await fs.stat(claimed.dir).catch(() => undefined);
    if (!stat?.isDirectory()) {
      throw new WorkspaceProvisionError(
        "workspace.start_failed",
        "The workspace directory is missing on this machine.",
      );
    }
    await prepareDataDir();
    await ensureOwnership(claimed.id, claimed.dir);
    const token = randomBytes(32).toString("base64url");
    launched = await launchAgent(claimed.id, claimed.dir, token);
    state.launchers.set(claimed.id, launched.launcher);
    state.pinged.set(claimed.id, Date.now());
    return await updateWorkspace(db, claimed.id, {
      status: "running",
      agentUrl: launched.url,
      agentPid: launched.pid,
      agentTokenEnc: sealSecret(token, tokenAad(claimed.id)),
      error: null,
    });
  } catch (err) {
    if (launched) await terminateAgent({ ...claimed, agentPid: launched.pid });
    const message =
      err instanceof WorkspaceProvisionError
        ? err.message
        : "Could not start the workspace agent. The error has been logged.";
    if (!(err instanceof WorkspaceProvisionError)) {
      console.error(`[workspace ${claimed.id}] start failed:`, err);
    }
    return updateWorkspace(db, claimed.id, {
      status: "error",
      error: message,
      agentUrl: null,
      agentPid: null,
      agentTokenEnc: null,
    });
  }
}

// ---------------------------------------------------------------------------
// Stop

function procText(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, "utf8");
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

/** Whether `pid` is this workspace's agent (not a recycled pid of something else). */
function isAgentOf(pid: number, dir: string): boolean {
  if (!processAlive(pid)) return false;
  if (!hasProc) return true;
  const argv = (procText(pid, "cmdline") ?? "").split("\0");
  return argv.includes(dir);
}

function processGroupOf(pid: number): number | undefined {
  const stat = procText(pid, "stat");
  if (!stat) return undefined;
  const pgrp = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]);
  return Number.isInteger(pgrp) && pgrp > 1 ? pgrp : undefined;
}

/** Every process running as `uid` (real or effective), from /proc/<pid>/status. */
function processesOfUid(uid: number): number[] {
  const pids: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const status = procText(Number(name), "status");
    const line = status?.split("\n").find((l) => l.startsWith("Uid:"));
    const ids = line?.split(/\s+/).slice(1, 3).map(Number) ?? [];
    if (ids.includes(uid)) pids.push(Number(name));
  }
  return pids;
}

/**
 * Last resort after a hard kill (and on every stop): with a uid of its own, everything the
 * workspace ever started runs as that uid, so killing the uid's processes leaves nothing
 * behind, double forks and setsid included. Without one, every process whose HOME is the
 * workspace (the agent sets it for everything it starts) loses its whole process group.
 */
function sweepWorkspaceProcesses(id: string, dir: string): void {
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
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
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

async function waitGone(pids: number[], ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (pids.every((pid) => !processAlive(pid))) return true;
    if (Date.now() > deadline) return false;
    await sleep(25);
  }
}

/** SIGTERM to the agent (which ends its children), SIGKILL and a sweep if it will not go. */
async function terminateAgent(row: Pick<WorkspaceRow, "id" | "dir" | "agentPid">): Promise<void> {
  const launcher = state.launchers.get(row.id);
  state.launchers.delete(row.id);
  state.pinged.delete(row.id);
  const pids = [row.agentPid, launcher?.pid].filter((p): p is number => typeof p === "number");
  const agentPid = row.agentPid !== null && isAgentOf(row.agentPid, row.dir) ? row.agentPid : null;
  let clean = true;
  if (agentPid !== null) {
    try {
      // The agent alone: signalling its group too would make the tsx launcher relay a second
      // SIGTERM, which the agent takes as "no grace".
      process.kill(agentPid, "SIGTERM");
    } catch {
      // Already gone.
    }
    clean = await waitGone(pids, STOP_GRACE_MS);
    if (!clean) {
      const pgrp = processGroupOf(agentPid);
      for (const target of [pgrp ? -pgrp : undefined, agentPid]) {
        if (target === undefined) continue;
        try {
          process.kill(target, "SIGKILL");
        } catch {
          // Already gone.
        }
      }
    }
  } else if (row.agentPid !== null) {
    // The agent died without stopping its children (e.g. killed hard): sweep what it left.
    clean = false;
  }
  if (launcher?.pid !== undefined && processAlive(launcher.pid)) {
    try {
      process.kill(-launcher.pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
  if (!clean || workspaceUid(row.id) !== undefined) sweepWorkspaceProcesses(row.id, row.dir);
  await waitGone(pids, 2_000);
}

/** Stops the agent and everything it started; the workspace ends "stopped". */
export async function stopWorkspace(db: Executor, row: WorkspaceRow): Promise<WorkspaceRow> {
  await state.starts.get(row.id)?.catch(() => undefined);
  const current = (await findWorkspace(db, row.id)) ?? row;
  await terminateAgent(current);
  return updateWorkspace(db, current.id, {
    status: "stopped",
    error: null,
    agentUrl: null,
    agentPid: null,
    agentTokenEnc: null,
  });
}

// ---------------------------------------------------------------------------
// Liveness

/**
 * The workspace as it really is: a "running" one whose agent no longer answers its token is
 * marked stopped (after sweeping what it left), a "starting" one abandoned by a crashed
 * instance likewise. Cheap when the agent answered in the last couple of seconds.
 */
export async function refreshWorkspace(db: Executor, row: WorkspaceRow): Promise<WorkspaceRow> {
  if (row.status === "running") {
    const last = state.pinged.get(row.id);
    const fresh = last !== undefined && Date.now() - last < PING_CACHE_MS;
    if (fresh && (row.agentPid === null || processAlive(row.agentPid))) return row;
    const client = agentClientOf(row);
    if (client && (await client.ping())) {
      state.pinged.set(row.id, Date.now());
      return row;
    }
    if (state.starts.has(row.id)) return row;
    await terminateAgent(row);
    const marked = await transitionWorkspace(db, row.id, ["running"], {
      status: "stopped",
      error: "The workspace agent was no longer running; start the workspace again.",
      agentUrl: null,
      agentPid: null,
      agentTokenEnc: null,
    });
    return marked ?? (await findWorkspace(db, row.id)) ?? row;
  }
  if (row.status === "starting" && !state.starts.has(row.id)) {
    const age = Date.now() - row.updatedAt.getTime();
    if (age > AGENT_READY_TIMEOUT_MS + 30_000) {
      const marked = await transitionWorkspace(db, row.id, ["starting"], {
        status: "stopped",
        error: "Starting the workspace was interrupted; start it again.",
      });
      return marked ?? (await findWorkspace(db, row.id)) ?? row;
    }
  }
  return row;
}

/**
 * Stops the workspace and everything it runs, then deletes its row (detaching its chats) and
 * its directory. `alongside` runs in the deleting transaction (the audit row).
 */
export async function deleteWorkspace(
  db: Database,
  row: WorkspaceRow,
  alongside?: (tx: Transaction) => Promise<void>,
): Promise<void> {
  await stopWorkspace(db, row);
  await db.transaction(async (tx) => {
    await deleteWorkspaceRow(tx, row.id);
    await alongside?.(tx);
  });
  await fs.rm(row.dir, { recursive: true, force: true });
  await fs.rm(path.join(logsRoot(), `${row.id}.log`), { force: true });
}
