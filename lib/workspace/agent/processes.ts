// Commands run in the workspace: foreground (wait up to a timeout) or background, each in its
// own process group with a scrubbed environment, output kept (bounded) for later reads.
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { AgentError } from "./http";
import type { WorkspaceSandbox } from "../sandbox/sandbox";
import type { WorkspaceRoot } from "./paths";
import { groupAlive, type GroupRegistry } from "./process-groups";
import {
  DEFAULT_TIMEOUT_MS,
  type executeBody,
  type processIdBody,
  type signalBody,
} from "./schemas";

export const OUTPUT_CAP_BYTES = 1024 * 1024;
export const MAX_FINISHED_KEPT = 32;
/** After the leader exits, how long a foreground call waits for the pipes to drain. */
const DRAIN_MS = 200;

/** The tail of a process's interleaved stdout+stderr, addressed by byte offset. */
export class OutputBuffer {
  private chunks: Buffer[] = [];
  private retained = 0;
  /** Bytes ever written; offsets count from the start of the process. */
  total = 0;

  constructor(private readonly cap = OUTPUT_CAP_BYTES) {}

  append(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.retained += chunk.length;
    this.total += chunk.length;
    while (this.retained > this.cap) {
      const head = this.chunks[0];
      if (head === undefined) break;
      const excess = this.retained - this.cap;
      if (head.length <= excess) {
        this.chunks.shift();
        this.retained -= head.length;
      } else {
        this.chunks[0] = head.subarray(excess);
        this.retained -= excess;
      }
    }
  }

  /** Output from `since` on; older bytes that were dropped are announced by a marker. */
  read(since = 0): { output: string; next_offset: number; truncated: boolean } {
    const dropped = this.total - this.retained;
    const start = Math.min(Math.max(since, dropped), this.total);
    const all = Buffer.concat(this.chunks);
    let output = all.subarray(start - dropped).toString("utf8");
    const truncated = since < dropped;
    if (truncated) {
      output = `[toolgate: ${dropped - since} bytes of earlier output were dropped; output is capped at ${this.cap} bytes]\n${output}`;
    }
    return { output, next_offset: this.total, truncated };
  }
}

type Status = "running" | "exited";

interface ProcessRecord {
  id: string;
  pid: number;
  command: string;
  args?: string[];
  shell: boolean;
  background: boolean;
  startedAt: Date;
  endedAt?: Date;
  status: Status;
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  output: OutputBuffer;
  timer?: NodeJS.Timeout;
  exited: Promise<void>;
  closed: Promise<void>;
}

function spawnFailed(command: string, err: NodeJS.ErrnoException): AgentError {
  const reason =
    err.code === "ENOENT"
      ? "command not found"
      : err.code === "EACCES"
        ? "permission denied"
        : (err.code ?? err.message);
  return new AgentError(400, "process.spawn_failed", `Could not start ${command}: ${reason}.`);
}

export class ProcessManager {
  private readonly records = new Map<string, ProcessRecord>();

  constructor(
    private readonly root: WorkspaceRoot,
    private readonly groups: GroupRegistry,
    private readonly sandbox: WorkspaceSandbox,
    private readonly maxRunning: number,
  ) {}

  async execute(body: z.output<typeof executeBody>) {
    const running = [...this.records.values()].filter((r) => r.status === "running").length;
    if (running >= this.maxRunning) {
      throw new AgentError(
        429,
        "workspace.quota_exceeded",
        `This workspace already runs ${running} processes, the limit (WORKSPACE_MAX_PROCESSES=${this.maxRunning}); wait for one to end or signal it.`,
      );
    }
    const cwd = body.cwd ? (await this.root.resolveDirectory(body.cwd, "cwd")).abs : this.root.root;
    const shell = body.shell === true;
    // Every command runs in the OS sandbox; in plan mode read-only but for the plan file.
    const prepared = await this.sandbox
      .prepare({
        mode: body.mode ?? "normal",
        command: shell ? "/bin/sh" : body.command,
        args: shell ? ["-c", body.command] : (body.args ?? []),
        cwd,
        ...(body.env && { env: body.env }),
        ...(body.plan_file !== undefined && { planFile: body.plan_file }),
      })
      .catch((err: NodeJS.ErrnoException) => {
        throw err.code === "ENOENT" ? spawnFailed(body.command, err) : err;
      });
    let child: ChildProcess;
    try {
      child = spawn(prepared.file, prepared.args, {
        cwd,
        env: prepared.env,
        detached: true,
        stdio: ["ignore", "pipe", "pipe", ...prepared.extraFds],
      });
    } finally {
      prepared.dispose();
    }
    await new Promise<void>((resolve, reject) => {
      child.once("spawn", resolve);
      child.once("error", reject);
    }).catch((err: NodeJS.ErrnoException) => {
      throw spawnFailed(body.command, err);
    });
    const pid = child.pid;
    if (pid === undefined) throw new AgentError(500, "process.spawn_failed", "No process id.");
    // The leader is the sandbox launcher: signals go to what runs inside it (see signal()).
    this.groups.add(pid, { sandboxed: prepared.sandboxed });

    const record = this.track(child, pid, body, shell);
    const timeoutMs = body.background ? body.timeout_ms : (body.timeout_ms ?? DEFAULT_TIMEOUT_MS);
    if (timeoutMs !== undefined) {
      record.timer = setTimeout(() => {
        record.timedOut = true;
        void this.groups.terminate(pid);
      }, timeoutMs);
    }
    if (body.background) return { process_id: record.id, pid, status: record.status };

    await record.exited;
    await Promise.race([record.closed, new Promise((r) => setTimeout(r, DRAIN_MS))]);
    const out = record.output.read(0);
    return {
      process_id: record.id,
      pid,
      exit_code: record.exitCode,
      signal: record.signal,
      timed_out: record.timedOut,
      output: out.output,
      truncated: out.truncated,
      next_offset: out.next_offset,
    };
  }

  private track(
    child: ChildProcess,
    pid: number,
    body: z.output<typeof executeBody>,
    shell: boolean,
  ): ProcessRecord {
    const output = new OutputBuffer();
    let markExited!: () => void;
    let markClosed!: () => void;
    const record: ProcessRecord = {
      id: randomUUID(),
      pid,
      command: body.command,
      ...(body.args !== undefined && { args: body.args }),
      shell,
      background: body.background === true,
      startedAt: new Date(),
      status: "running",
      exitCode: null,
      signal: null,
      timedOut: false,
      output,
      exited: new Promise<void>((r) => (markExited = r)),
      closed: new Promise<void>((r) => (markClosed = r)),
    };
    // One buffer for both streams keeps stdout and stderr in arrival order.
    child.stdout?.on("data", (chunk: Buffer) => output.append(chunk));
    child.stderr?.on("data", (chunk: Buffer) => output.append(chunk));
    child.once("exit", (code, signal) => {
      record.status = "exited";
      record.exitCode = code;
      record.signal = signal;
      record.endedAt = new Date();
      if (record.timer) clearTimeout(record.timer);
      this.evictFinished();
      markExited();
    });
    child.once("close", () => markClosed());
    this.records.set(record.id, record);
    return record;
  }

  /** Finished records are kept for later reads, the oldest dropped past the bound. */
  private evictFinished(): void {
    const finished = [...this.records.values()]
      .filter((r) => r.status === "exited")
      .sort((a, b) => (a.endedAt?.getTime() ?? 0) - (b.endedAt?.getTime() ?? 0));
    while (finished.length > MAX_FINISHED_KEPT) {
      const oldest = finished.shift();
      if (oldest) this.records.delete(oldest.id);
    }
  }

  private get(id: string): ProcessRecord {
    const record = this.records.get(id);
    if (!record) {
      throw new AgentError(
        404,
        "process.not_found",
        `No process ${id} (finished ones are kept for a while only).`,
      );
    }
    return record;
  }

  output(body: z.output<typeof processIdBody>) {
    const record = this.get(body.process_id);
    return {
      process_id: record.id,
      status: record.status,
      exit_code: record.exitCode,
      signal: record.signal,
      timed_out: record.timedOut,
      ...record.output.read(body.since ?? 0),
    };
  }

  list() {
    const processes = [...this.records.values()]
      .sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime())
      .map((r) => ({
        process_id: r.id,
        pid: r.pid,
        command: r.command,
        ...(r.args !== undefined && { args: r.args }),
        shell: r.shell,
        background: r.background,
        status: r.status,
        exit_code: r.exitCode,
        signal: r.signal,
        timed_out: r.timedOut,
        started_at: r.startedAt.toISOString(),
        ended_at: r.endedAt?.toISOString() ?? null,
      }));
    return { processes };
  }

  signal(body: z.output<typeof signalBody>) {
    const record = this.get(body.process_id);
    // The leader may be gone while children it forked still run: signal the group anyway.
    const delivered =
      (record.status === "running" || groupAlive(record.pid)) &&
      this.groups.signal(record.pid, body.signal);
    if (!delivered) {
      throw new AgentError(
        409,
        "process.not_running",
        `Process ${record.id} is no longer running.`,
      );
    }
    return { process_id: record.id, signal: body.signal, status: record.status };
  }

  /** Stops every group this manager started; used on agent stop. */
  async close(): Promise<void> {
    for (const record of this.records.values()) if (record.timer) clearTimeout(record.timer);
    await Promise.all([...this.records.values()].map((r) => this.groups.terminate(r.pid)));
  }
}
