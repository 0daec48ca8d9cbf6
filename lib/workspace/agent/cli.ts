// `npm run agent -- --dir <path> --listen <host:port> [--token-file <file>]`; the token may
// also come from TOOLGATE_AGENT_TOKEN. Prints one JSON line once listening, so a provisioner
// that asked for port 0 learns the address; stops cleanly (exit 0) on SIGTERM / SIGINT.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { startAgent, type RunningAgent } from "./agent";
import type { EnvLike } from "./mcp-config";

export const TOKEN_ENV = "TOOLGATE_AGENT_TOKEN";

export interface CliOptions {
  dir: string;
  listen: string;
  token: string;
}

export function parseCliArgs(argv: string[], env: EnvLike): CliOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      dir: { type: "string" },
      listen: { type: "string" },
      "token-file": { type: "string" },
    },
    strict: true,
    allowPositionals: false,
  });
  if (!values.dir) throw new Error("--dir <path> is required");
  if (!values.listen) throw new Error("--listen <host:port> is required");
  const fileToken = values["token-file"]
    ? readFileSync(values["token-file"], "utf8").trim()
    : undefined;
  const token = fileToken ?? env[TOKEN_ENV]?.trim();
  if (!token) throw new Error(`give the workspace token with --token-file or ${TOKEN_ENV}`);
  return { dir: values.dir, listen: values.listen, token };
}

export async function runCli(argv: string[]): Promise<void> {
  let options: CliOptions;
  try {
    options = parseCliArgs(argv, process.env);
  } catch (err) {
    console.error(`agent: ${(err as Error).message}`);
    process.exit(2);
  }
  // The token must never reach a child nor a `${VAR}` expansion in `.mcp.json`.
  delete process.env[TOKEN_ENV];

  let agent: RunningAgent;
  try {
    agent = await startAgent(options);
  } catch (err) {
    console.error(`agent: could not start: ${(err as Error).message}`);
    process.exit(1);
  }
  process.once("exit", () => agent.killAllSync());

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      // A second signal: do not wait for grace periods any more.
      agent.killAllSync();
      process.exit(1);
    }
    stopping = true;
    console.error(`agent: ${signal} received, stopping`);
    agent.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error("agent: stop failed:", err);
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  process.on("uncaughtException", (err) => {
    console.error("agent: uncaught exception:", err);
    agent.killAllSync();
    process.exit(1);
  });

  process.stdout.write(
    `${JSON.stringify({ event: "listening", url: agent.url, pid: process.pid })}\n`,
  );
}
