// Whether this host can run the workspace sandbox at all, checked the way agents use it: as an
// unprivileged uid (when the app is root), bubblewrap over a directory of that uid, and a
// network namespace with loopback up. The admin sees the result; agents check again for
// themselves at start and refuse commands when it fails.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { bwrapArgs, sandboxEnv } from "./bwrap-args";
import { run } from "./exec";
import type { SandboxStatus } from "./sandbox";
import type { SandboxSettings } from "./settings";

/** A uid outside the workspace range, used only for this check. */
export const PROBE_UID = 199_999;

export async function probeSandbox(settings: SandboxSettings): Promise<SandboxStatus> {
  const uid = process.getuid?.() === 0 ? PROBE_UID : undefined;
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "toolgate-probe-"));
  try {
    if (uid !== undefined) await fs.chown(dir, uid, uid);
    const bwrap = await run(
      settings.bwrap,
      bwrapArgs({
        workspace: dir,
        mode: "normal",
        cwd: dir,
        env: sandboxEnv(dir, "normal"),
        command: "/bin/sh",
        args: ["-c", "touch probe && test $(id -u) != 0"],
      }),
      { uid },
    );
    let status: SandboxStatus;
    if (bwrap.code !== 0) {
      status = {
        available: false,
        unsafe: false,
        reason: `bubblewrap (${settings.bwrap}) cannot start a sandbox: ${bwrap.output || "it failed"}`,
      };
    } else {
      const net = await run(
        "unshare",
        ["--user", "--map-root-user", "--net", "--", "/bin/sh", "-c", "ip link set lo up"],
        { uid },
      );
      status =
        net.code === 0
          ? { available: true, unsafe: false }
          : {
              available: false,
              unsafe: false,
              reason: `a workspace network namespace cannot be set up (unshare and ip from util-linux and iproute2): ${net.output || "it failed"}`,
            };
    }
    if (!status.available && settings.unsafeNoSandbox) status.unsafe = true;
    return status;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
