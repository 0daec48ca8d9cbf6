// The OS sandbox every workspace command runs in (bubblewrap), as the agent uses it.
//
// Normal mode: the workspace writable, a network namespace shared by the workspace's commands
// (so a server started in the background is reachable from the next command) whose only way
// out is the egress proxy. Plan mode: the workspace read-only but for the plan file, and a
// network namespace of its own with nothing in it. Both: see bwrap-args.ts.
//
// The agent checks at start that the whole chain works; when it does not, commands are
// refused with tool.sandbox_unavailable and the reason, and nothing runs unconfined unless
// the operator set TOOLGATE_UNSAFE_NO_SANDBOX=1 (normal mode only, loudly logged).
import { spawn, type ChildProcess } from "node:child_process";
import { constants, closeSync, fstatSync, openSync, readlinkSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { AgentError } from "@/lib/workspace/agent/http";
import type { WorkspaceRoot } from "@/lib/workspace/agent/paths";
import { bwrapArgs, commandExists, PROXY_PORT, sandboxEnv } from "./bwrap-args";
import { startEgressProxy, type EgressProxy } from "./egress-proxy";
import { chainEnv, run } from "./exec";
import { SANDBOX_UNAVAILABLE, type SandboxSettings } from "./settings";

export type SandboxMode = "normal" | "plan";

export interface SandboxStatus {
  available: boolean;
  /** Why not, in words an admin can act on. */
  reason?: string;
  /** TOOLGATE_UNSAFE_NO_SANDBOX is set: normal-mode commands run unconfined. */
  unsafe: boolean;
}

export interface CommandSpec {
  mode: SandboxMode;
  command: string;
  args: string[];
  /** Absolute working directory inside the workspace. */
  cwd: string;
  env?: Record<string, string>;
  /** Plan mode: the workspace-relative path of the only file the command may write. */
  planFile?: string;
}

export interface PreparedCommand {
  file: string;
  args: string[];
  /** Descriptors to pass as fd 3, 4, … (after stdin, stdout, stderr). */
  extraFds: number[];
  env: NodeJS.ProcessEnv;
  /** The child is a sandbox launcher (bwrap), not the command itself. */
  sandboxed: boolean;
  /** Closes the descriptors once the child has them. */
  dispose(): void;
}

// Resolved from the app root (the agent runs there): no import.meta.url, which bundlers rewrite.
const forwarderPath = () =>
  path.join(
    process.env.TOOLGATE_APP_ROOT ?? process.cwd(),
    "lib",
    "workspace",
    "sandbox",
    "netns-forwarder.mjs",
  );
const HOLDER_READY_MS = 10_000;
/** Resource limits of every command (prlimit): open files, core dumps, file size. */
const BASE_LIMITS = ["--nofile=4096:4096", "--core=0:0", "--fsize=4294967296:4294967296"];
/** Processes per workspace uid, only when the workspace has a uid of its own. */
const NPROC_LIMIT = "--nproc=1024:1024";

const planFileThroughSymlink = () =>
  new AgentError(
    400,
    "workspace.path_outside",
    "The plan file's path goes through a symbolic link; refused.",
  );

export function sandboxUnavailable(reason: string): AgentError {
  return new AgentError(
    503,
    SANDBOX_UNAVAILABLE,
    `Workspace commands are disabled: the sandbox they must run in is unavailable (${reason}).`,
  );
}

/** Runs `true` in a plan-mode sandbox over `dir`: does bubblewrap work here at all? */
export async function probeBwrap(bwrap: string, dir: string): Promise<SandboxStatus> {
  const args = bwrapArgs({
    workspace: dir,
    mode: "plan",
    cwd: dir,
    env: sandboxEnv(dir, "plan"),
    command: "/bin/sh",
    args: ["-c", "test -r /proc/self/status && ! test -e /root/.toolgate-probe"],
  });
  const result = await run(bwrap, args);
  if (result.code === 0) return { available: true, unsafe: false };
  return {
    available: false,
    unsafe: false,
    reason: `bubblewrap (${bwrap}) failed: ${result.output || `exit code ${result.code}`}`,
  };
}

export class WorkspaceSandbox {
  private holder: ChildProcess | undefined;
  private holderStarting: Promise<number> | undefined;
  private proxy: EgressProxy | undefined;
  private runDir: string | undefined;
  status: SandboxStatus = { available: false, unsafe: false, reason: "not started" };

  constructor(
    private readonly root: WorkspaceRoot,
    private readonly settings: SandboxSettings,
    private readonly dedicatedUid = process.env.TOOLGATE_DEDICATED_UID === "1",
  ) {}

  /** Checks the chain once; commands are refused until it passed. */
  async start(): Promise<SandboxStatus> {
    const probe = await probeBwrap(this.settings.bwrap, this.root.root);
    if (probe.available) {
      try {
        this.runDir = await fs.mkdtemp(path.join(os.tmpdir(), "toolgate-agent-"));
        this.proxy = await startEgressProxy(
          path.join(this.runDir, "egress.sock"),
          this.settings.egressAllowlist,
        );
        await this.ensureHolder();
        const check = await run("nsenter", [
          ...this.nsenterArgs(await this.ensureHolder()),
          "--",
          "true",
        ]);
        if (check.code !== 0) throw new Error(`nsenter failed: ${check.output}`);
        this.status = { available: true, unsafe: false };
      } catch (err) {
        this.status = {
          available: false,
          unsafe: false,
          reason: `the workspace network could not be set up: ${(err as Error).message}`,
        };
      }
    } else {
      this.status = probe;
    }
    if (!this.status.available && this.settings.unsafeNoSandbox) {
      console.error(
        "agent: WARNING: TOOLGATE_UNSAFE_NO_SANDBOX=1 and the sandbox is unavailable " +
          `(${this.status.reason}): normal-mode commands run UNCONFINED with the agent's rights.`,
      );
      this.status = { ...this.status, unsafe: true };
    }
    return this.status;
  }

  private nsenterArgs(pid: number): string[] {
    return ["-t", String(pid), "-U", "-n", "--preserve-credentials"];
  }

  /** The process holding the workspace's network namespace; restarted if it died. */
  private ensureHolder(): Promise<number> {
    if (this.holder?.pid !== undefined && this.holder.exitCode === null && !this.holder.killed) {
      return Promise.resolve(this.holder.pid);
    }
    this.holderStarting ??= this.startHolder().finally(() => (this.holderStarting = undefined));
    return this.holderStarting;
  }

  private startHolder(): Promise<number> {
    const socket = path.join(this.runDir!, "egress.sock");
    // A user namespace of the agent's own uid (root inside it only, to bring loopback up),
    // with a network namespace in which the forwarder is the only process.
    const child: ChildProcess = spawn(
      "unshare",
      [
        "--user",
        "--map-root-user",
        "--net",
        "--",
        "/bin/sh",
        "-c",
        'ip link set lo up && exec "$0" "$@"',
        process.execPath,
        forwarderPath(),
        socket,
        String(PROXY_PORT),
      ],
      { stdio: ["ignore", "pipe", "pipe"], env: chainEnv() },
    );
    this.holder = child;
    return new Promise<number>((resolve, reject) => {
      let err = "";
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new Error("the network holder did not start in time"));
      }, HOLDER_READY_MS);
      child.stderr?.on("data", (c: Buffer) => (err = (err + c.toString()).slice(-500)));
      child.stdout?.once("data", () => {
        clearTimeout(timer);
        child.stdout?.resume();
        resolve(child.pid!);
      });
      child.once("error", (e: Error) => {
        clearTimeout(timer);
        reject(e);
      });
      child.once("exit", (code: number | null) => {
        clearTimeout(timer);
        reject(new Error(`the network holder exited (${code}): ${err.trim()}`));
      });
    });
  }

  /**
   * The plan file, opened without following a symlink at any point and checked to be the
   * very file at that path inside the workspace; its descriptor is what bwrap binds.
   */
  private async openPlanFile(rel: string): Promise<{ abs: string; fd: number }> {
    // First, so no directory is created through a planted link either.
    await this.root.refuseSymlinkedParents(rel, "plan_file");
    const target = await this.root.resolveForWrite(rel, { createDirs: true, field: "plan_file" });
    const lexical = path.resolve(this.root.root, rel);
    // Refused before anything is created: a directory on the way that is a symlink (even one
    // staying inside) would let the "plan file" land elsewhere in the workspace.
    if (target.abs !== lexical) throw planFileThroughSymlink();
    const fd = openSync(
      target.abs,
      constants.O_RDWR | constants.O_CREAT | constants.O_NOFOLLOW,
      0o644,
    );
    try {
      const real = readlinkSync(`/proc/self/fd/${fd}`);
      // Checked again on the open descriptor: a swap between the check and the open fails here.
      if (real !== lexical || !fstatSync(fd).isFile()) throw planFileThroughSymlink();
      return { abs: lexical, fd };
    } catch (err) {
      closeSync(fd);
      throw err;
    }
  }

  /** The command line that runs `spec` confined; throws tool.sandbox_unavailable when it cannot. */
  async prepare(spec: CommandSpec): Promise<PreparedCommand> {
    const env = sandboxEnv(this.root.root, spec.mode, spec.env);
    if (!commandExists(spec.command, env, spec.cwd)) {
      throw Object.assign(new Error(`${spec.command}: command not found`), {
        code: "ENOENT",
        syscall: `spawn ${spec.command}`,
        path: spec.command,
      });
    }
    if (!this.status.available) {
      if (this.status.unsafe && spec.mode === "normal") {
        // Unconfined: no namespace and no proxy, so no proxy variables pointing nowhere.
        const bare = sandboxEnv(this.root.root, "plan", spec.env);
        return {
          file: spec.command,
          args: spec.args,
          extraFds: [],
          env: bare as unknown as NodeJS.ProcessEnv,
          sandboxed: false,
          dispose: () => undefined,
        };
      }
      throw sandboxUnavailable(this.status.reason ?? "unknown reason");
    }
    const limits = this.dedicatedUid ? [...BASE_LIMITS, NPROC_LIMIT] : BASE_LIMITS;
    // Plan mode: a network namespace of its own (bwrap's). Normal mode: the workspace's shared
    // one, entered with nsenter before bwrap starts.
    let netns: string[] = [];
    if (spec.mode === "normal") {
      try {
        netns = ["nsenter", ...this.nsenterArgs(await this.ensureHolder()), "--"];
      } catch (err) {
        throw sandboxUnavailable(`the workspace network is down: ${(err as Error).message}`);
      }
    }
    const plan =
      spec.mode === "plan" && spec.planFile ? await this.openPlanFile(spec.planFile) : undefined;
    const args = bwrapArgs({
      workspace: this.root.root,
      mode: spec.mode,
      // The plan file's descriptor becomes fd 3 of the child (the first extra fd).
      ...(plan && { planFile: { abs: plan.abs, fd: 3 } }),
      cwd: spec.cwd,
      env,
      command: spec.command,
      args: spec.args,
      readOnlyPaths: this.settings.readOnlyPaths,
    });
    return {
      file: "prlimit",
      args: [...limits, "--", ...netns, this.settings.bwrap, ...args],
      extraFds: plan ? [plan.fd] : [],
      env: chainEnv(),
      sandboxed: true,
      dispose: () => {
        if (plan) closeSync(plan.fd);
      },
    };
  }

  async close(): Promise<void> {
    this.holder?.kill("SIGKILL");
    await this.proxy?.close();
    if (this.runDir) await fs.rm(this.runDir, { recursive: true, force: true });
  }

  killAllSync(): void {
    this.holder?.kill("SIGKILL");
  }
}
