// The workspace agent: an HTTP server over one workspace directory (files, processes and the
// workspace's `.mcp.json` servers), authenticated with a per-workspace bearer token.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  editWorkspaceFile,
  listWorkspaceDir,
  readWorkspaceFile,
  writeWorkspaceFile,
} from "./files";
import { createGuardedFetch } from "@/lib/net/egress";
import { WorkspaceSandbox, type SandboxStatus } from "../sandbox/sandbox";
import { readSandboxSettings, type SandboxSettings } from "../sandbox/settings";
import { AgentError, checkBearer, parseWith, readJsonBody, sendJson, sendProblem } from "./http";
import type { EnvLike } from "./mcp-config";
import { McpManager } from "./mcp-manager";
import { WorkspaceRoot } from "./paths";
import { GroupRegistry } from "./process-groups";
import { ProcessManager } from "./processes";
import {
  callToolBody,
  editBody,
  executeBody,
  listBody,
  processIdBody,
  readBody,
  signalBody,
  writeBody,
} from "./schemas";

export const MIN_TOKEN_LENGTH = 16;

export interface StartAgentOptions {
  dir: string;
  /** `host:port` (port 0 picks a free one) or the parts. */
  listen: string | { host: string; port: number };
  token: string;
  /** Where `${VAR}` in `.mcp.json` is looked up; the agent's own environment by default. */
  env?: EnvLike;
  connectTimeoutMs?: number;
  /** The sandbox's settings; read from the environment by default. */
  sandbox?: SandboxSettings;
}

export interface RunningAgent {
  url: string;
  /** Whether workspace commands can run (checked once at start). */
  sandbox: SandboxStatus;
  /** Stops every process group it started, the MCP servers and the HTTP server. */
  close(): Promise<void>;
  /** Synchronous last resort for process exit: SIGKILL every remaining group. */
  killAllSync(): void;
}

export function parseListen(listen: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(listen);
  const host = match?.[1] ?? match?.[2];
  const port = Number(match?.[3]);
  if (!host || !Number.isInteger(port) || port > 65535) {
    throw new Error(
      `--listen must be host:port (e.g. 127.0.0.1:7300), got ${JSON.stringify(listen)}`,
    );
  }
  return { host, port };
}

type Handler = (req: IncomingMessage, url: URL) => Promise<unknown>;

function errnoToProblem(err: unknown): AgentError | undefined {
  switch ((err as NodeJS.ErrnoException | undefined)?.code) {
    case "EACCES":
    case "EPERM":
      return new AgentError(403, "workspace.permission_denied", "Permission denied.");
    case "ELOOP":
      return new AgentError(400, "workspace.path_outside", "The path is a symbolic link; refused.");
    case "ENOENT":
      return new AgentError(404, "workspace.not_found", "The path does not exist.");
    case "EISDIR":
      return new AgentError(400, "workspace.is_directory", "The path is a directory.");
    case "ENOTDIR":
      return new AgentError(
        400,
        "workspace.not_a_directory",
        "A path component is not a directory.",
      );
    default:
      return undefined;
  }
}

export async function startAgent(options: StartAgentOptions): Promise<RunningAgent> {
  if (options.token.length < MIN_TOKEN_LENGTH) {
    throw new Error(`the workspace token must be at least ${MIN_TOKEN_LENGTH} characters`);
  }
  const { token } = options;
  const root = await WorkspaceRoot.open(options.dir);
  const groups = new GroupRegistry();
  const settings = options.sandbox ?? readSandboxSettings();
  const sandbox = new WorkspaceSandbox(root, settings);
  const sandboxStatus = await sandbox.start();
  const guardedFetch = createGuardedFetch({ allowlist: settings.egressAllowlist });
  const processes = new ProcessManager(root, groups, sandbox, settings.maxProcesses);
  const mcp = new McpManager(root, groups, {
    sandbox,
    fetch: guardedFetch,
    ...(options.env && { env: options.env }),
    ...(options.connectTimeoutMs !== undefined && { connectTimeoutMs: options.connectTimeoutMs }),
  });

  const routes: Record<string, Handler> = {
    "POST /api/v0/files/read": async (req) =>
      readWorkspaceFile(root, parseWith(readBody, await readJsonBody(req))),
    "POST /api/v0/files/write": async (req) =>
      writeWorkspaceFile(root, parseWith(writeBody, await readJsonBody(req))),
    "POST /api/v0/files/edit": async (req) =>
      editWorkspaceFile(root, parseWith(editBody, await readJsonBody(req))),
    "POST /api/v0/files/list": async (req) =>
      listWorkspaceDir(root, parseWith(listBody, await readJsonBody(req))),
    "POST /api/v0/processes/execute": async (req) =>
      processes.execute(parseWith(executeBody, await readJsonBody(req))),
    "POST /api/v0/processes/output": async (req) =>
      processes.output(parseWith(processIdBody, await readJsonBody(req))),
    "POST /api/v0/processes/signal": async (req) =>
      processes.signal(parseWith(signalBody, await readJsonBody(req))),
    "GET /api/v0/processes": async () => processes.list(),
    "GET /api/v0/mcp/tools": async (_req, url) =>
      mcp.listTools(url.searchParams.get("refresh") === "true"),
    "POST /api/v0/mcp/call-tool": async (req) => {
      const body = parseWith(callToolBody, await readJsonBody(req));
      return mcp.callTool(body.tool_name, body.arguments ?? {}, body.expect_fingerprint);
    },
  };
  const knownPaths = new Set(Object.keys(routes).map((key) => key.split(" ")[1]));

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://agent.invalid");
    try {
      if (url.pathname === "/api/v0/health") {
        if (req.method !== "GET")
          throw new AgentError(405, "request.method_not_allowed", "Use GET.");
        sendJson(res, 200, { status: "ok", sandbox: sandboxStatus });
        return;
      }
      checkBearer(req, token);
      const handler = routes[`${req.method} ${url.pathname}`];
      if (!handler) {
        if (knownPaths.has(url.pathname)) {
          throw new AgentError(
            405,
            "request.method_not_allowed",
            "This method is not allowed here.",
          );
        }
        throw new AgentError(404, "route.not_found", "No such agent endpoint.");
      }
      sendJson(res, 200, await handler(req, url));
    } catch (err) {
      const problem = err instanceof AgentError ? err : errnoToProblem(err);
      if (problem) {
        if (!res.headersSent) sendProblem(res, problem);
        return;
      }
      console.error(`[agent] ${req.method} ${url.pathname} failed:`, err);
      if (!res.headersSent) {
        sendProblem(
          res,
          new AgentError(500, "agent.internal", "The workspace agent hit an internal error."),
        );
      }
    }
  };

  const server = createServer((req, res) => void handle(req, res));
  const { host, port } =
    typeof options.listen === "string" ? parseListen(options.listen) : options.listen;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  mcp.start();
  const address = server.address() as AddressInfo;
  const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await Promise.allSettled([processes.close(), mcp.close()]);
      // Anything left (e.g. a group whose leader was already gone) goes too.
      await groups.terminateAll();
      groups.dispose();
      await sandbox.close();
      await guardedFetch.dispatcher.close().catch(() => undefined);
      await serverClosed;
    })();
    return closing;
  };

  return {
    url: `http://${shownHost}:${address.port}`,
    sandbox: sandboxStatus,
    close,
    killAllSync: () => {
      groups.killAllSync();
      sandbox.killAllSync();
    },
  };
}
