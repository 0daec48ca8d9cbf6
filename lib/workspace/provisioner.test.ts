// The local provisioner against real agent processes: create from templates, start, talk to
// the agent, stop, and nothing it started survives.
import { readdirSync, readFileSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findWorkspace, updateWorkspace, type WorkspaceRow } from "@/db/queries/workspaces";
import { withTestDatabase } from "@/lib/testing/db";
import { seedUser } from "@/lib/testing/fixtures";
import { isGone, killIfAlive, waitFor } from "./agent/test-helpers";
import {
  agentClientOf,
  createWorkspace,
  refreshWorkspace,
  startWorkspace,
  stopWorkspace,
} from "./provisioner";
import { workspacesRoot } from "./host";

const t = withTestDatabase();
const started: WorkspaceRow[] = [];
const pids: number[] = [];

afterAll(async () => {
  for (const row of started) {
    const current = await findWorkspace(t.db, row.id).catch(() => undefined);
    if (current) await stopWorkspace(t.db, current).catch(() => undefined);
  }
  for (const pid of pids) killIfAlive(pid);
});

/** Live processes whose environment says HOME=<dir>: what the agent (and its children) run. */
export function processesOf(dir: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const environ = readFileSync(`/proc/${name}/environ`, "utf8");
      if (`\0${environ}`.includes(`\0HOME=${dir}\0`) && !isGone(Number(name))) {
        found.push(Number(name));
      }
    } catch {
      // Gone, or not ours.
    }
  }
  return found;
}

function parentOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
}

async function startedWorkspace(template: string) {
  const { user } = await seedUser(t.db);
  const created = await createWorkspace(t.db, {
    ownerId: user.id,
    name: `ws ${template}`,
    template,
  });
  started.push(created);
  const running = await startWorkspace(t.db, created);
  expect(running.status, running.error ?? "").toBe("running");
  pids.push(running.agentPid!);
  return { user, created, running };
}

describe("local provisioner", () => {
  it("creates from the empty template, starts an agent that answers, and stops it cleanly", async () => {
    const { created, running } = await startedWorkspace("empty");
    expect(created.dir).toBe(path.join(workspacesRoot(), created.id));
    expect(created.status).toBe("stopped");
    await expect(fs.readFile(path.join(created.dir, "README.md"), "utf8")).resolves.toBeTruthy();

    expect(running.agentUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(running.agentTokenEnc).toBeTruthy();
    expect(running.agentTokenEnc).not.toContain(running.agentUrl!);
    const client = agentClientOf(running)!;
    const listed = await client.listFiles({});
    expect(listed.entries.map((e) => e.path)).toContain("README.md");
    await client.writeFile({ path: "hello.txt", content: "hi\n" });
    expect((await client.readFile({ path: "hello.txt" })).content).toBe("hi");

    // A background process (and its own child) that would run for a minute.
    const bg = await client.execute({
      command: "sleep 60 & sleep 61; wait",
      shell: true,
      background: true,
    });
    expect(bg.status).toBe("running");
    // The agent's environment holds nothing of the app's (the token is removed at start).
    const env = await client.execute({ command: "env", shell: true });
    expect(env.output).not.toContain("TOOLGATE_AGENT_TOKEN");
    expect(env.output).not.toContain("DATA_DIR");

    // Starting again is a no-op: the same agent.
    const again = await startWorkspace(t.db, running);
    expect(again.agentPid).toBe(running.agentPid);

    const launcher = parentOf(running.agentPid!);
    expect(processesOf(created.dir).length).toBeGreaterThanOrEqual(4);

    const stopped = await stopWorkspace(t.db, running);
    expect(stopped).toMatchObject({ status: "stopped", agentUrl: null, agentPid: null });
    expect(isGone(launcher)).toBe(true);
    expect(processesOf(created.dir)).toEqual([]);
    expect(stopped.agentTokenEnc).toBeNull();
    expect(isGone(running.agentPid!)).toBe(true);
    expect(isGone(bg.pid)).toBe(true);
    expect(await client.ping(500)).toBe(false);
  });

  it("creates from sample-node, whose .mcp.json server runs under the agent and stops with it", async () => {
    const { running } = await startedWorkspace("sample-node");
    const client = agentClientOf(running)!;
    const listing = await client.mcpTools();
    const notes = listing.servers.find((s) => s.name === "notes");
    expect(notes, JSON.stringify(listing)).toMatchObject({ status: "ok", transport: "stdio" });
    expect(listing.tools.map((tool) => tool.name)).toEqual([
      "notes__add_note",
      "notes__list_notes",
    ]);
    const result = await client.callTool("notes__add_note", { text: "from the test" });
    expect(JSON.stringify(result)).toContain("Saved");

    const test = await client.execute({ command: "node --test", shell: true, timeout_ms: 60_000 });
    expect(test.exit_code, test.output).toBe(0);

    const stopped = await stopWorkspace(t.db, running);
    expect(stopped.status).toBe("stopped");
    expect(isGone(running.agentPid!)).toBe(true);
    expect(isGone(notes!.pid!)).toBe(true);
    expect(processesOf(running.dir)).toEqual([]);
  });

  it("marks a workspace whose agent died as stopped, and sweeps what the agent left", async () => {
    const { running } = await startedWorkspace("empty");
    const client = agentClientOf(running)!;
    const bg = await client.execute({ command: "sleep 60", shell: true, background: true });
    // Killed hard: the agent cannot stop its children itself.
    process.kill(running.agentPid!, "SIGKILL");
    await waitFor(() => isGone(running.agentPid!), "the agent to die");

    const seen = await refreshWorkspace(t.db, running);
    expect(seen.status).toBe("stopped");
    expect(seen.error).toMatch(/no longer running/);
    expect(seen.agentPid).toBeNull();
    await waitFor(() => isGone(bg.pid), "the orphaned process to be swept");
    expect(processesOf(running.dir)).toEqual([]);

    // And it starts again, with a new token.
    const restarted = await startWorkspace(t.db, seen);
    pids.push(restarted.agentPid!);
    expect(restarted.status).toBe("running");
    expect(restarted.agentTokenEnc).not.toBe(running.agentTokenEnc);
    await stopWorkspace(t.db, restarted);
    expect(isGone(restarted.agentPid!)).toBe(true);
  });

  it("shares one agent between concurrent starts and reports a failed start", async () => {
    const { user } = await seedUser(t.db);
    const created = await createWorkspace(t.db, {
      ownerId: user.id,
      name: "twice",
      template: "empty",
    });
    started.push(created);
    const [a, b] = await Promise.all([
      startWorkspace(t.db, created),
      startWorkspace(t.db, created),
    ]);
    pids.push(a.agentPid!);
    expect(a.agentPid).toBe(b.agentPid);
    await stopWorkspace(t.db, a);

    await fs.rm(created.dir, { recursive: true, force: true });
    const failed = await startWorkspace(t.db, await updateWorkspace(t.db, created.id, {}));
    expect(failed.status).toBe("error");
    expect(failed.error).toMatch(/directory is missing/);
  });

  it("refuses an unknown template", async () => {
    const { user } = await seedUser(t.db);
    await expect(
      createWorkspace(t.db, { ownerId: user.id, name: "x", template: "nope" }),
    ).rejects.toMatchObject({ code: "workspace.unknown_template" });
  });
});
