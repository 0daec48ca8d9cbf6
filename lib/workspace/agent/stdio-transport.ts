// An MCP stdio client transport that, unlike the SDK's, starts the server as the leader of
// its own process group (so closing it ends everything it forked), never uses a shell, and
// keeps only a capped tail of stderr.
import { spawn, type ChildProcess } from "node:child_process";
import { ReadBuffer, serializeMessage } from "@modelcontextprotocol/sdk/shared/stdio.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import type { WorkspaceSandbox } from "../sandbox/sandbox";
import type { GroupRegistry } from "./process-groups";

export const STDERR_CAP_BYTES = 64 * 1024;

export interface GroupStdioOptions {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  groups: GroupRegistry;
  /** The server runs in the workspace's sandbox, like every workspace command. */
  sandbox: WorkspaceSandbox;
}

export class GroupStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private child: ChildProcess | undefined;
  private readonly readBuffer = new ReadBuffer();
  private stderrTail = "";
  private closing = false;
  exitDescription: string | undefined;

  constructor(private readonly options: GroupStdioOptions) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** The last bytes the server wrote to stderr. */
  stderr(): string {
    return this.stderrTail;
  }

  async start(): Promise<void> {
    if (this.child) throw new Error("GroupStdioTransport already started");
    const prepared = await this.options.sandbox.prepare({
      mode: "normal",
      command: this.options.command,
      args: this.options.args,
      cwd: this.options.cwd,
      env: this.options.env,
    });
    const child = spawn(prepared.file, prepared.args, {
      cwd: this.options.cwd,
      env: prepared.env,
      detached: true,
      shell: false,
      stdio: ["pipe", "pipe", "pipe"],
    });
    prepared.dispose();
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      child.once("spawn", () => {
        if (child.pid !== undefined) {
          this.options.groups.add(child.pid, { sandboxed: prepared.sandboxed });
        }
        resolve();
      });
      child.once("error", reject);
    });
    child.on("error", (error) => this.onerror?.(error));
    child.stdout?.on("data", (chunk: Buffer) => {
      try {
        this.readBuffer.append(chunk);
      } catch (error) {
        // A line over the buffer limit: the stream cannot be trusted any more.
        this.onerror?.(error as Error);
        void this.close();
        return;
      }
      for (;;) {
        let message: JSONRPCMessage | null;
        try {
          message = this.readBuffer.readMessage();
        } catch (error) {
          this.onerror?.(error as Error);
          continue;
        }
        if (message === null) break;
        this.onmessage?.(message);
      }
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString("utf8")).slice(-STDERR_CAP_BYTES);
    });
    child.stdin?.on("error", (error) => this.onerror?.(error));
    child.once("exit", (code, signal) => {
      this.exitDescription = signal ? `exited on ${signal}` : `exited with code ${code}`;
    });
    child.once("close", () => {
      this.child = undefined;
      this.onclose?.();
    });
  }

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((resolve, reject) => {
      const stdin = this.child?.stdin;
      if (!stdin || this.closing) {
        reject(new Error("The stdio server is not running."));
        return;
      }
      if (stdin.write(serializeMessage(message))) resolve();
      else stdin.once("drain", resolve);
    });
  }

  /** Ends the whole process group: SIGTERM, then SIGKILL after a grace period. */
  async close(): Promise<void> {
    this.closing = true;
    const child = this.child;
    const pid = child?.pid;
    if (child?.stdin && !child.stdin.destroyed) child.stdin.end();
    if (pid !== undefined) await this.options.groups.terminate(pid);
    this.readBuffer.clear();
    if (this.child === undefined) return;
    // The close event fires once the pipes are shut; do not wait for it forever.
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 500);
      child?.once("close", () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
