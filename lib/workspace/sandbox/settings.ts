// Settings of the workspace sandbox, read from the environment. Shared by the app (which
// probes the sandbox for admins and passes these to each agent) and the agent (which wraps
// every command in it). No server-only imports: the agent runs outside Next.js.
import { parseAllowlist, type EgressAllowlist } from "@/lib/net/address-policy";

export const SANDBOX_UNAVAILABLE = "tool.sandbox_unavailable";

/** The environment variables the sandbox reads; the provisioner forwards exactly these. */
export const SANDBOX_ENV_VARS = [
  "TOOLGATE_BWRAP",
  "TOOLGATE_UNSAFE_NO_SANDBOX",
  "WORKSPACE_EGRESS_ALLOWLIST",
  "WORKSPACE_MAX_PROCESSES",
  "WORKSPACE_READONLY_PATHS",
] as const;

export interface SandboxSettings {
  /** The bubblewrap binary (a name on PATH or a path). */
  bwrap: string;
  /**
   * Development escape hatch: run normal-mode commands without any sandbox. Plan-mode
   * commands are refused even then, so plan mode never runs unconfined.
   */
  unsafeNoSandbox: boolean;
  /** Hosts / CIDRs workspace commands may reach through the egress proxy besides the internet. */
  egressAllowlist: EgressAllowlist;
  /** Processes (execute, background included) running at once in one workspace. */
  maxProcesses: number;
  /** Host directories shown read-only in every sandbox (a shared toolchain, say). */
  readOnlyPaths: string[];
}

export const DEFAULT_MAX_PROCESSES = 32;

type Env = Record<string, string | undefined>;

export function readSandboxSettings(env: Env = process.env): SandboxSettings {
  const allowlist = parseAllowlist(env.WORKSPACE_EGRESS_ALLOWLIST ?? "");
  if (!allowlist.ok) throw new Error(`WORKSPACE_EGRESS_ALLOWLIST: ${allowlist.message}`);
  const rawMax = env.WORKSPACE_MAX_PROCESSES?.trim();
  const maxProcesses = rawMax ? Number(rawMax) : DEFAULT_MAX_PROCESSES;
  if (!Number.isInteger(maxProcesses) || maxProcesses < 1 || maxProcesses > 1000) {
    throw new Error("WORKSPACE_MAX_PROCESSES must be an integer from 1 to 1000");
  }
  return {
    bwrap: env.TOOLGATE_BWRAP?.trim() || "bwrap",
    unsafeNoSandbox: env.TOOLGATE_UNSAFE_NO_SANDBOX === "1",
    egressAllowlist: allowlist.allowlist,
    maxProcesses,
    readOnlyPaths: (env.WORKSPACE_READONLY_PATHS ?? "")
      .split(":")
      .map((p) => p.trim())
      .filter(Boolean)
      .map((p) => {
        if (!p.startsWith("/")) throw new Error("WORKSPACE_READONLY_PATHS takes absolute paths");
        return p;
      }),
  };
}

/** The subset of the environment an agent needs to rebuild the same settings. */
export function sandboxEnvOf(env: Env = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of SANDBOX_ENV_VARS) {
    const value = env[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}
