import type { WorkspaceSandboxStatus, WorkspaceStatus } from "@/lib/client/workspace-types";

/**
 * What the sandbox status means for workspace commands right now:
 * - `confined`: every command runs in bubblewrap;
 * - `disabled`: no sandbox, so commands are refused (never run unconfined);
 * - `unconfined`: no sandbox and TOOLGATE_UNSAFE_NO_SANDBOX is set, so normal-turn commands
 *   run with the agent's own rights (plan-mode commands are still refused);
 * - `confined_unsafe_set`: the sandbox works, but the variable is set, so a broken sandbox
 *   would silently fall back to unconfined instead of refusing.
 */
export type SandboxState = "confined" | "disabled" | "unconfined" | "confined_unsafe_set";

export function sandboxState(sandbox: WorkspaceSandboxStatus): SandboxState {
  if (sandbox.available) return sandbox.unsafe ? "confined_unsafe_set" : "confined";
  return sandbox.unsafe ? "unconfined" : "disabled";
}

/** A workspace with an agent that may still be alive; "error" can leave one half-started. */
export function canStop(status: WorkspaceStatus): boolean {
  return status === "running" || status === "starting" || status === "error";
}
