// Workspace isolation against a hostile member, on real workspaces: agents started by the
// provisioner (as the workspace's own uid when the tests run as root), commands in the real
// bubblewrap sandbox. Each check has its positive control, so none can pass by accident.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import fs from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findWorkspace, type WorkspaceRow } from "@/db/queries/workspaces";
import { getEnv } from "@/lib/env";
import { withTestDatabase } from "@/lib/testing/db";
import { seedUser } from "@/lib/testing/fixtures";
import { hostPidsWith, waitFor } from "./agent/test-helpers";
import { AgentRequestError, type AgentClient } from "./agent-client";
import { agentClientOf, createWorkspace, startWorkspace, stopWorkspace } from "./provisioner";
import { workspaceUid } from "./host";
import { stopWorkspacesOf } from "./service";

const t = withTestDatabase();
const started: WorkspaceRow[] = [];
let host: http.Server;
let hostPort = 0;
const SECRET_ENV = `TOOLGATE_ISOLATION_SECRET_${randomBytes(4).toString("hex")}`;
const SECRET_VALUE = randomBytes(12).toString("hex");
const sentinel = () => path.join(getEnv().dataDir, "isolation-sentinel.key");

beforeAll(async () => {
  // Something every process of the app carries in its environment, and a key file in DATA_DIR.
  process.env[SECRET_ENV] = SECRET_VALUE;
  await fs.mkdir(getEnv().dataDir, { recursive: true });
  await fs.writeFile(sentinel(), SECRET_VALUE, { mode: 0o600 });
  host = http.createServer((_req, res) => res.end("host-service"));
  await new Promise<void>((resolve) => host.listen(0, "127.0.0.1", resolve));
  hostPort = (host.address() as AddressInfo).port;
});

afterAll(async () => {
  delete process.env[SECRET_ENV];
  for (const row of started) {
    const current = await findWorkspace(t.db, row.id).catch(() => undefined);
    if (current) await stopWorkspace(t.db, current).catch(() => undefined);
  }
  await new Promise((resolve) => host.close(resolve));
});

async function workspace(env: Record<string, string> = {}, ownerId?: string) {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    const owner = ownerId ?? (await seedUser(t.db)).user.id;
    const created = await createWorkspace(t.db, { ownerId: owner, name: "iso", template: "empty" });
    started.push(created);
    const running = await startWorkspace(t.db, created);
    expect(running.status, running.error ?? "").toBe("running");
    return { row: running, client: agentClientOf(running)!, ownerId: owner };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

async function sh(client: AgentClient, command: string, extra: object = {}) {
  const res = await client.execute({ command, shell: true, ...extra });
  return { code: res.exit_code, out: res.output ?? "" };
}

/** A connection attempt from inside the sandbox, with Node (always there: it runs the tools). */
const connect = (host: string, port: number) =>
  `node -e "require('net').connect(${port},'${host}').on('connect',()=>{console.log('CONNECTED');process.exit(0)}).on('error',e=>{console.log('REFUSED '+e.code);process.exit(1)})"`;

/** An HTTP request through the egress proxy the sandbox is given. */
const viaProxy = (url: string) =>
  `node -e "require('http').get({host:'127.0.0.1',port:3128,path:'${url}'},r=>{let b='';r.on('data',d=>b+=d);r.on('end',()=>console.log('STATUS '+r.statusCode+' '+b.trim()))}).on('error',e=>console.log('ERR '+e.code))"`;

describe("a normal-mode command", () => {
  it("cannot read the app's data directory, keys, environment or another workspace", async () => {
    const a = await workspace();
    const b = await workspace();
    await fs.writeFile(path.join(b.row.dir, "b-private.txt"), "b's data");
    const dataDir = getEnv().dataDir;

    const probe = await sh(
      a.client,
      [
        `cat ${sentinel()}`,
        `cat ../../isolation-sentinel.key`,
        `ls ${dataDir}`,
        `cat ${b.row.dir}/b-private.txt`,
        `ls /proc | grep -c '^[0-9]'`,
        `cat /proc/*/environ 2>/dev/null | tr '\\0' '\\n' | grep -c TOOLGATE || true`,
        `env | grep -c ${SECRET_ENV} || true`,
        `id -u`,
        `echo written > mine.txt && cat mine.txt`,
      ]
        .map((part) => `{ ${part}; } 2>&1`)
        .join("; echo ---; "),
    );
    const sections = probe.out.split("---\n").map((s) => s.trim());
    expect(sections[0]).toMatch(/No such file/);
    expect(sections[1]).toMatch(/No such file/);
    // DATA_DIR holds only this workspace on the way to it: no keys, no database, no B.
    expect(sections[2]).toBe("workspaces");
    expect(sections[3]).toMatch(/No such file/);
    // Its own PID namespace: a handful of its own processes, none of the host's.
    expect(Number(sections[4])).toBeLessThan(10);
    expect(sections[5]).toBe("0");
    expect(sections[6]).toBe("0");
    expect(sections[7]).not.toBe("0");
    expect(sections[8]).toBe("written");
    expect(probe.out).not.toContain(SECRET_VALUE);

    // The positive control: the file is really in the workspace, owned by the workspace's uid.
    const stat = await fs.stat(path.join(a.row.dir, "mine.txt"));
    const uid = workspaceUid(a.row.id);
    if (uid !== undefined) expect(stat.uid).toBe(uid);
    expect(await fs.readFile(path.join(a.row.dir, "mine.txt"), "utf8")).toBe("written\n");
  });

  it("reaches neither the host's loopback nor, through the proxy, a private address", async () => {
    const { client } = await workspace();
    const direct = await sh(client, connect("127.0.0.1", hostPort));
    expect(direct.out).toMatch(/REFUSED/);
    const proxied = await sh(client, viaProxy(`http://127.0.0.1:${hostPort}/`));
    expect(proxied.out).toMatch(/STATUS 403 .*not reachable from a workspace/);
  });

  it("goes out through the egress proxy to an allowed destination", async () => {
    // Positive control of the check above: the same request, with the address allowed.
    const { client } = await workspace({ WORKSPACE_EGRESS_ALLOWLIST: "127.0.0.1" });
    const proxied = await sh(client, viaProxy(`http://127.0.0.1:${hostPort}/`));
    expect(proxied.out).toBe("STATUS 200 host-service\n");
    // The direct route stays closed even then: only the proxy leads out.
    expect((await sh(client, connect("127.0.0.1", hostPort))).out).toMatch(/REFUSED/);
  });

  it("shares loopback with the workspace's other commands", async () => {
    const { client } = await workspace();
    const server = await client.execute({
      command: `node -e "require('http').createServer((q,r)=>r.end('ws-server')).listen(8765,'127.0.0.1')"`,
      shell: true,
      background: true,
    });
    expect(server.status).toBe("running");
    await waitFor(
      async () => (await sh(client, connect("127.0.0.1", 8765))).out.includes("CONNECTED"),
      "the workspace's own server",
    );
  });
});

describe("a plan-mode command", () => {
  const plan = ".toolgate/plans/chat.md";

  it("writes nothing but the plan file and connects nowhere", async () => {
    const { row, client } = await workspace();
    // A data file of the workspace (say, a .mcp.json server's), written in a normal turn.
    await sh(client, "echo notes > NOTES.md");
    const hostTmp = `/tmp/toolgate-plan-probe-${randomBytes(4).toString("hex")}`;
    const probe = await sh(
      client,
      [
        "echo x > new-file.txt",
        "echo x >> NOTES.md",
        "echo x > $HOME/.profile-probe",
        `echo x > ${hostTmp} && echo tmp-ok`,
        connect("127.0.0.1", hostPort),
        connect("1.1.1.1", 443),
        `echo "## Step 1" >> ${plan} && cat ${plan}`,
      ]
        .map((part) => `{ ${part}; } 2>&1`)
        .join("; echo ---; "),
      { mode: "plan", plan_file: plan },
    );
    const sections = probe.out.split("---\n").map((s) => s.trim());
    expect(sections[0]).toMatch(/Read-only file system/);
    expect(sections[1]).toMatch(/Read-only file system/);
    expect(sections[2]).toMatch(/Read-only file system/);
    // A private /tmp: writable, and nothing of it reaches the host's.
    expect(sections[3]).toBe("tmp-ok");
    expect(existsSync(hostTmp)).toBe(false);
    expect(sections[4]).toMatch(/REFUSED (ENETUNREACH|ECONNREFUSED)/);
    expect(sections[5]).toMatch(/REFUSED ENETUNREACH/);
    expect(sections[6]).toBe("## Step 1");
    expect(existsSync(path.join(row.dir, "new-file.txt"))).toBe(false);
    expect(readFileSync(path.join(row.dir, "NOTES.md"), "utf8")).toBe("notes\n");
    expect(readFileSync(path.join(row.dir, plan), "utf8")).toBe("## Step 1\n");

    // Positive control: the same writes in a normal turn land in the workspace.
    const normal = await sh(client, "echo x > new-file.txt && echo x >> NOTES.md && echo ok");
    expect(normal.out).toBe("ok\n");
    expect(readFileSync(path.join(row.dir, "NOTES.md"), "utf8")).toBe("notes\nx\n");
  });

  it("refuses a plan file reached through a symlink planted in a normal turn", async () => {
    const { row, client } = await workspace();
    await sh(client, "mkdir -p src && ln -s src .toolgate");
    await expect(
      client.execute({ command: "true", shell: true, mode: "plan", plan_file: plan }),
    ).rejects.toMatchObject({ status: 400, code: "workspace.path_outside" });
    expect(await fs.readdir(path.join(row.dir, "src"))).toEqual([]);
  });
});

describe("processes", () => {
  it("leave nothing behind when the workspace stops: background, setsid and double fork", async () => {
    const { row, client } = await workspace();
    const marker = `301.${Date.now() % 1000}`;
    await client.execute({
      command: `sleep ${marker} & setsid sleep ${marker} & (sh -c 'sleep ${marker} &' &); wait`,
      shell: true,
      background: true,
    });
    await waitFor(() => hostPidsWith(marker).length >= 3, "the three sleeps");
    await stopWorkspace(t.db, row);
    await waitFor(() => hostPidsWith(marker).length === 0, "every sleep to be gone", 5_000);
  });

  it("stop when an admin disables the owner", async () => {
    const { row, client, ownerId } = await workspace();
    const marker = `302.${Date.now() % 1000}`;
    await client.execute({ command: `sleep ${marker}`, shell: true, background: true });
    await waitFor(() => hostPidsWith(marker).length > 0, "the sleep");
    const { user: admin } = await seedUser(t.db, { role: "admin" });
    expect(await stopWorkspacesOf(t.db, admin.id, ownerId)).toBe(1);
    await waitFor(() => hostPidsWith(marker).length === 0, "the sleep to be gone", 5_000);
    expect((await findWorkspace(t.db, row.id))?.status).toBe("stopped");
  });

  it("are capped per workspace with workspace.quota_exceeded", async () => {
    const { client } = await workspace({ WORKSPACE_MAX_PROCESSES: "2" });
    for (let i = 0; i < 2; i += 1) {
      await client.execute({ command: "sleep 30", shell: true, background: true });
    }
    const over = await client
      .execute({ command: "sleep 30", shell: true, background: true })
      .catch((err: unknown) => err);
    expect(over).toBeInstanceOf(AgentRequestError);
    expect(over).toMatchObject({ status: 429, code: "workspace.quota_exceeded" });
    expect((over as Error).message).toContain("WORKSPACE_MAX_PROCESSES=2");
  });
});

describe("without a working sandbox", () => {
  it("refuses every command with tool.sandbox_unavailable and runs nothing", async () => {
    const { row, client } = await workspace({ TOOLGATE_BWRAP: "/nonexistent/bwrap" });
    for (const mode of ["normal", "plan"] as const) {
      const refused = await client
        .execute({ command: "touch ran.txt", shell: true, mode })
        .catch((err: unknown) => err);
      expect(refused).toMatchObject({ status: 503, code: "tool.sandbox_unavailable" });
      expect((refused as Error).message).toContain("/nonexistent/bwrap");
    }
    expect(existsSync(path.join(row.dir, "ran.txt"))).toBe(false);
    // Its .mcp.json stdio servers do not start either.
    await fs.writeFile(
      path.join(row.dir, ".mcp.json"),
      JSON.stringify({ mcpServers: { s: { command: "/bin/sh", args: ["-c", "touch ran.txt"] } } }),
    );
    const listing = await client.mcpTools(true);
    expect(listing.servers[0]).toMatchObject({ name: "s", status: "error" });
    expect(listing.servers[0]?.error).toContain("sandbox");
    expect(existsSync(path.join(row.dir, "ran.txt"))).toBe(false);
  });

  it("with the development override, runs normal commands unconfined but never plan mode", async () => {
    const { row, client } = await workspace({
      TOOLGATE_BWRAP: "/nonexistent/bwrap",
      TOOLGATE_UNSAFE_NO_SANDBOX: "1",
    });
    const normal = await sh(client, "echo ran > ran.txt && echo ok; env | grep -ci proxy");
    // Unconfined means no proxy either: no proxy variables pointing at nothing.
    expect(normal.out).toBe("ok\n0\n");
    expect(existsSync(path.join(row.dir, "ran.txt"))).toBe(true);
    await expect(
      client.execute({ command: "true", shell: true, mode: "plan" }),
    ).rejects.toMatchObject({ status: 503, code: "tool.sandbox_unavailable" });
  });
});
