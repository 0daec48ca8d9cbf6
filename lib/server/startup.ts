import "server-only";
import type { DbHandle } from "@/db/client";
import { startApprovalSweeps } from "@/lib/chat/approvals/sweeps";
import { sweepDeadTurns, SWEEP_MS } from "@/lib/chat/turn-liveness";
import { getEnv } from "@/lib/env";
import { seedModelProvidersFromEnv } from "@/lib/model-providers/seed";
import { getEgressAllowlist } from "@/lib/net/egress";
import { workspaceSandboxStatus } from "@/lib/workspace/sandbox-status";
import { readSandboxSettings } from "@/lib/workspace/sandbox/settings";
import { getDbHandle } from "./database";
import { loggableError } from "@/db/queries/errors";

async function sweepStaleTurns(handle: DbHandle, atStart = false): Promise<void> {
  try {
    const { interrupted } = await sweepDeadTurns(handle, { atStart });
    if (interrupted > 0) console.warn(`[toolgate] marked ${interrupted} interrupted turn(s)`);
  } catch (err) {
    console.error("[toolgate] stale turn sweep failed:", loggableError(err));
  }
}

export async function startServer(): Promise<void> {
  try {
    const env = getEnv();
    // Fail at start, not on the first outbound request, when the allowlist has a typo.
    getEgressAllowlist();
    readSandboxSettings();
    const handle = await getDbHandle();
    console.log(
      `[toolgate] database ready (${handle.kind === "postgres" ? "Postgres" : `PGlite in ${env.dataDir}`})`,
    );
    await seedModelProvidersFromEnv(handle.db);
    await sweepStaleTurns(handle, true);
    void workspaceSandboxStatus().then((sandbox) => {
      if (!sandbox.available) {
        console.warn(
          `[toolgate] WARNING: workspace commands are disabled, the OS sandbox is unavailable: ${sandbox.reason}` +
            (sandbox.unsafe
              ? " (TOOLGATE_UNSAFE_NO_SANDBOX=1: normal-mode commands run UNCONFINED)"
              : ""),
        );
      }
    });
    // Turns whose instance died are repaired while the app runs too, not only at start.
    setInterval(() => void sweepStaleTurns(handle), SWEEP_MS).unref();
    // Approvals expire and answered ones resume even when nobody opens the chat.
    startApprovalSweeps(handle.db);
  } catch (err) {
    console.error(`[toolgate] cannot start: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
