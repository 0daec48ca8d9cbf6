// The agent as a real process, started the way the provisioner does: `npx tsx scripts/agent.ts`.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseListen } from "./agent";
import { parseCliArgs } from "./cli";
import {
  hostPidsWith,
  isGone,
  killIfAlive,
  makeTempDir,
  removeTempDirs,
  request,
  waitFor,
} from "./test-helpers";
import { everythingEntry } from "@/e2e/fixtures/server-everything";

const TOKEN = "cli-test-token-abcdefghijklmnop";
const children: ChildProcess[] = [];
const pids: number[] = [];

/** A clean environment for the agent process, so the host's variables cannot leak into it. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "/tmp",
    ...extra,
  };
  return env as NodeJS.ProcessEnv;
}

interface Started {
  child: ChildProcess;
  url: string;
  pid: number;
  stderr: () => string;
}

async function startCli(args: string[], env: Record<string, string>): Promise<Started> {
  // Its own process group, so a failed test can still kill npx, tsx and the agent at once.
  const child = spawn("npx", ["tsx", "--conditions=react-server", "scripts/agent.ts", ...args], {
    cwd: process.cwd(),
    env: childEnv(env),
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  await waitFor(
    () => stdout.includes("\n") || child.exitCode !== null,
    "the agent to listen",
    30_000,
  );
  if (!stdout.includes("\n")) throw new Error(`agent exited early (${child.exitCode}): ${stderr}`);
  const ready = JSON.parse(stdout.split("\n")[0] ?? "") as {
    event: string;
    url: string;
    pid: number;
  };
  expect(ready.event).toBe("listening");
  pids.push(ready.pid);
  return { child, url: ready.url, pid: ready.pid, stderr: () => stderr };
}

async function exitCode(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const [code] = (await once(child, "exit")) as [number | null];
  return code;
}

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.pid !== undefined) {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
  }
  for (const pid of pids.splice(0)) killIfAlive(pid);
  await removeTempDirs();
});

describe("scripts/agent.ts", () => {
  it("serves, never expands its own token, and stops on SIGTERM leaving no child behind", async () => {
    const dir = await makeTempDir();
    await fs.writeFile(
      path.join(dir, ".mcp.json"),
      JSON.stringify({
        mcpServers: {
          everything: {
            command: "${NODE_BIN}",
            args: ["${EVERYTHING_ENTRY}", "stdio"],
            env: { LEAK: "${TOOLGATE_AGENT_TOKEN:-absent}" },
          },
        },
      }),
    );
    const agent = await startCli(["--dir", dir, "--listen", "127.0.0.1:0"], {
      TOOLGATE_AGENT_TOKEN: TOKEN,
      NODE_BIN: process.execPath,
      EVERYTHING_ENTRY: everythingEntry(),
      WORKSPACE_READONLY_PATHS: path.join(process.cwd(), "node_modules"),
    });
    const api = (method: string, route: string, body?: unknown, token: string | null = TOKEN) =>
      request(agent.url, method, route, body, token);

    expect((await api("GET", "/api/v0/health", undefined, null)).status).toBe(200);
    expect((await api("GET", "/api/v0/processes", undefined, null)).status).toBe(401);

    const listing = await api("GET", "/api/v0/mcp/tools");
    const everything = listing.body.servers[0];
    expect(everything).toMatchObject({ name: "everything", status: "ok" });
    pids.push(everything.pid);
    const env = await api("POST", "/api/v0/mcp/call-tool", { tool_name: "everything__get-env" });
    expect(JSON.parse(env.body.content[0].text).LEAK).toBe("absent");

    const bg = await api("POST", "/api/v0/processes/execute", {
      command: "sleep 300.6 & wait",
      shell: true,
      background: true,
    });
    pids.push(bg.body.pid);
    // Commands run in their own PID namespace: find the grandchild on the host by its argument.
    await waitFor(() => hostPidsWith("300.6").length > 0, "the grandchild");
    const grandchild = hostPidsWith("300.6")[0]!;
    pids.push(grandchild);

    const recorded = [agent.pid, everything.pid, bg.body.pid, grandchild];
    for (const pid of recorded) expect(isGone(pid), `pid ${pid} before stop`).toBe(false);

    process.kill(agent.pid, "SIGTERM");
    expect(await exitCode(agent.child)).toBe(0);
    expect(agent.stderr()).toContain("SIGTERM received, stopping");
    for (const pid of recorded) expect(isGone(pid), `pid ${pid} after stop`).toBe(true);
  });

  it("reads the token from --token-file and stops on SIGINT", async () => {
    const dir = await makeTempDir();
    const tokenFile = path.join(await makeTempDir("toolgate-token-"), "token");
    await fs.writeFile(tokenFile, `${TOKEN}\n`, { mode: 0o600 });
    const agent = await startCli(
      ["--dir", dir, "--listen", "127.0.0.1:0", "--token-file", tokenFile],
      {},
    );
    expect((await request(agent.url, "GET", "/api/v0/processes", undefined, TOKEN)).status).toBe(
      200,
    );
    expect(
      (await request(agent.url, "GET", "/api/v0/processes", undefined, "x".repeat(31))).status,
    ).toBe(401);
    process.kill(agent.pid, "SIGINT");
    expect(await exitCode(agent.child)).toBe(0);
  });

  it("refuses to start without a token", async () => {
    const dir = await makeTempDir();
    const child = spawn(
      "npx",
      [
        "tsx",
        "--conditions=react-server",
        "scripts/agent.ts",
        "--dir",
        dir,
        "--listen",
        "127.0.0.1:0",
      ],
      {
        env: childEnv({}),
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
    children.push(child);
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    expect(await exitCode(child)).toBe(2);
    expect(stderr).toContain("TOOLGATE_AGENT_TOKEN");
  });
});

describe("argument parsing", () => {
  it("parses --listen", () => {
    expect(parseListen("127.0.0.1:7300")).toEqual({ host: "127.0.0.1", port: 7300 });
    expect(parseListen("[::1]:0")).toEqual({ host: "::1", port: 0 });
    expect(() => parseListen("7300")).toThrow(/host:port/);
    expect(() => parseListen("h:70000")).toThrow(/host:port/);
  });

  it("prefers --token-file over the environment and requires --dir and --listen", async () => {
    const file = path.join(await makeTempDir(), "t");
    await fs.writeFile(file, "from-file\n");
    const args = ["--dir", "/w", "--listen", "h:1"];
    expect(
      parseCliArgs([...args, "--token-file", file], { TOOLGATE_AGENT_TOKEN: "env" }).token,
    ).toBe("from-file");
    expect(parseCliArgs(args, { TOOLGATE_AGENT_TOKEN: "env" }).token).toBe("env");
    expect(() => parseCliArgs(["--listen", "h:1"], { TOOLGATE_AGENT_TOKEN: "x" })).toThrow(/--dir/);
    expect(() => parseCliArgs(args, {})).toThrow(/token/);
    expect(() => parseCliArgs([...args, "--nope"], { TOOLGATE_AGENT_TOKEN: "x" })).toThrow();
  });
});
