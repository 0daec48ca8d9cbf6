import "server-only";
// The sandbox status admins see, checked at most once a minute per instance.
import { probeSandbox } from "./sandbox/probe";
import type { SandboxStatus } from "./sandbox/sandbox";
import { readSandboxSettings } from "./sandbox/settings";

const TTL_MS = 60_000;
let cached: { at: number; status: Promise<SandboxStatus> } | undefined;

export function workspaceSandboxStatus(): Promise<SandboxStatus> {
  if (!cached || Date.now() - cached.at > TTL_MS) {
    cached = {
      at: Date.now(),
      status: probeSandbox(readSandboxSettings()).catch((err: Error) => ({
        available: false,
        unsafe: false,
        reason: `the sandbox check failed: ${err.message}`,
      })),
    };
  }
  return cached.status;
}
