// Shared by the agent's tests: temp workspaces, an in-process agent, a small HTTP client and
// an independent "is this process gone" check.
import { readdirSync, readFileSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { readSandboxSettings, type SandboxSettings } from "../sandbox/settings";
import { startAgent, type RunningAgent, type StartAgentOptions } from "./agent";

export const TEST_TOKEN = "test-workspace-token-0123456789";

const tempDirs: string[] = [];

export async function makeTempDir(prefix = "toolgate-ws-"): Promise<string> {
  const dir = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), prefix)));
  tempDirs.push(dir);
  return dir;
}

export async function removeTempDirs(): Promise<void> {
  const dirs = tempDirs.splice(0);
  await Promise.all(dirs.map((dir) => fs.rm(dir, { recursive: true, force: true })));
}

export interface ApiResult {
  status: number;
  contentType: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read loose JSON bodies
  body: any;
}

export interface TestAgent {
  agent: RunningAgent;
  dir: string;
  api(method: string, route: string, body?: unknown, token?: string | null): Promise<ApiResult>;
}

export async function request(
  baseUrl: string,
  method: string,
  route: string,
  body?: unknown,
  token: string | null = TEST_TOKEN,
): Promise<ApiResult> {
  const headers: Record<string, string> = {};
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(`${baseUrl}${route}`, {
    method,
    headers,
    ...(body !== undefined && { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return {
    status: res.status,
    contentType: res.headers.get("content-type") ?? "",
    body: text ? JSON.parse(text) : undefined,
  };
}

export async function startTestAgent(
  dir: string,
  options: Partial<StartAgentOptions> = {},
): Promise<TestAgent> {
  const agent = await startAgent({
    dir,
    listen: "127.0.0.1:0",
    token: TEST_TOKEN,
    sandbox: testSandboxSettings(),
    ...options,
  });
  return {
    agent,
    dir,
    api: (method, route, body, token) => request(agent.url, method, route, body, token),
  };
}

/**
 * The sandbox as the tests need it: the app's node_modules readable (the published MCP test
 * servers run from there), and loopback reachable through the egress proxy for the tests'
 * own HTTP servers. Isolation itself is tested through the provisioner, without these.
 */
export function testSandboxSettings(overrides: Partial<SandboxSettings> = {}): SandboxSettings {
  return {
    ...readSandboxSettings({
      WORKSPACE_EGRESS_ALLOWLIST: "127.0.0.1",
      WORKSPACE_READONLY_PATHS: path.join(process.cwd(), "node_modules"),
    }),
    ...overrides,
  };
}

/**
 * Host pids of live processes whose command line contains `marker`. Commands run in their own
 * PID namespace, so the pids they print are not the host's: tests find them by a marker.
 */
export function hostPidsWith(marker: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`, "utf8").split("\0");
      if (cmdline.some((arg) => arg === marker) && !isGone(Number(name))) pids.push(Number(name));
    } catch {
      // Gone meanwhile.
    }
  }
  return pids;
}

/**
 * True once the process no longer runs: kill(pid, 0) says ESRCH, or it is a zombie. Orphans
 * are reparented to PID 1, which in some containers never reaps them; a zombie runs nothing.
 */
export function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ESRCH") return true;
    throw err;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0];
    return state === "Z" || state === "X";
  } catch {
    return true;
  }
}

export async function waitFor(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Kills whatever a failed test left behind, so no test run leaks processes. */
export function killIfAlive(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}
