import "server-only";
// Launching a workspace agent: the tsx CLI over scripts/agent.ts, detached, as the workspace's
// own uid when there is one, with an environment that holds its token and the sandbox's
// settings and nothing of the app's; ready when it prints its listening line.
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import fs from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { logsRoot, workspaceUid } from "./host";
import { sandboxEnvOf } from "./sandbox/settings";

/** How long an agent may take to print its ready line (tsx compiles on a cold start). */
export const AGENT_READY_TIMEOUT_MS = 60_000;
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

export interface LaunchedAgent {
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

export async function launchAgent(
  id: string,
  dir: string,
  token: string,
  /** Called when the launcher process exits, whenever that is. */
  onExit: (launcher: ChildProcess) => void,
): Promise<LaunchedAgent> {
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
  child.once("exit", () => onExit(child));
  return { ...ready, launcher: child };
}
