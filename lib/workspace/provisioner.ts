import "server-only";
// The local provisioner: workspaces are directories under DATA_DIR/workspaces/<id>, each served
// by its own agent process (scripts/agent.ts through the tsx CLI) on 127.0.0.1 with a fresh
// random token. Stopping a workspace stops its agent, which stops every process it started;
// whatever survives a hard kill is swept (by the workspace's uid, or by HOME without one).
//
// Agents outlive a restart of the app (they are detached): a workspace marked running is
// checked lazily on access (an authenticated ping with its token) and marked stopped when its
// agent is gone. Single host only: the agent listens on loopback of the machine that started it.
//
// Isolation (see docs/workspace-sandbox.md): when the app runs as root, each workspace gets a
// uid of its own; its directory belongs to that uid and its agent runs as it, so the agent
// itself can read nothing of the app's (keys, database, other workspaces) even through a
// symlink race, and every command it runs is further confined by the OS sandbox.
import type { ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import type { Database, Executor, Transaction } from "@/db/client";
import {
  countOwnWorkspacesLocked,
  deleteWorkspaceRow,
  findWorkspace,
  insertWorkspace,
  listWorkspaceIds,
  transitionWorkspace,
  updateWorkspace,
  type WorkspaceRow,
} from "@/db/queries/workspaces";
import { openSecret, sealSecret, secretAad } from "@/lib/crypto/secrets";
import { processAlive } from "./agent/process-groups";
import { AgentClient } from "./agent-client";
import {
  AGENT_READY_TIMEOUT_MS,
  launchAgent,
  WorkspaceProvisionError,
  type LaunchedAgent,
} from "./agent-launcher";
import {
  ensureOwnership,
  isAgentOf,
  logsRoot,
  prepareDataDir,
  processGroupOf,
  sweepWorkspaceProcesses,
  workspacesRoot,
  workspaceUid,
} from "./host";
import { copyTemplate, listTemplates } from "./templates";

/** SIGTERM grace: the agent itself gives its children 2 s + 2 s before SIGKILL. */
const STOP_GRACE_MS = 10_000;
/** A fresh successful ping is trusted this long before the next access pings again. */
const PING_CACHE_MS = 2_000;

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

/** The agent client of a running workspace; null when it has no agent. */
export function agentClientOf(row: WorkspaceRow): AgentClient | null {
  if (row.status !== "running" || !row.agentUrl || !row.agentTokenEnc) return null;
  return new AgentClient(row.agentUrl, openSecret(row.agentTokenEnc, tokenAad(row.id)));
}

// ---------------------------------------------------------------------------
// Create

/**
 * A new workspace id whose uid no existing workspace has: uids are derived from ids, and two
 * workspaces sharing one would share their processes' fate (a stop sweeps the uid).
 */
async function freshWorkspaceId(db: Executor): Promise<string> {
  const first = randomUUID();
  if (workspaceUid(first) === undefined) return first;
  const taken = new Set((await listWorkspaceIds(db)).map((id) => workspaceUid(id)));
  let id = first;
  while (taken.has(workspaceUid(id))) id = randomUUID();
  return id;
}

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
  const id = await freshWorkspaceId(db);
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
    launched = await launchAgent(claimed.id, claimed.dir, token, (launcher) => {
      if (state.launchers.get(claimed.id) === launcher) state.launchers.delete(claimed.id);
      state.pinged.delete(claimed.id);
    });
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
