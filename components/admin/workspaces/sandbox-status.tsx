import { ShieldAlertIcon, ShieldCheckIcon, ShieldOffIcon } from "lucide-react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import type { WorkspaceSandboxStatus } from "@/lib/client/workspace-types";
import { sandboxState } from "./workspaces-admin-logic";

function FixHint() {
  return (
    <p>
      To fix it, install bubblewrap on the server (<code>apt-get install bubblewrap</code>) and
      allow unprivileged user namespaces (a container needs a security profile that permits them),
      then restart the workspaces: each one checks the sandbox when it starts.
    </p>
  );
}

/** Whether workspace commands run in the OS sandbox, and what to do when they cannot. */
export function SandboxStatus({ sandbox }: { sandbox: WorkspaceSandboxStatus }) {
  const reason = sandbox.reason ? <p>Reason: {sandbox.reason}</p> : null;
  switch (sandboxState(sandbox)) {
    case "confined":
      return (
        <p className="flex items-start gap-2 text-sm text-muted-foreground">
          <ShieldCheckIcon
            aria-hidden="true"
            className="mt-0.5 size-4 shrink-0 text-emerald-600 dark:text-emerald-400"
          />
          <span>
            Every workspace command runs in an OS sandbox (bubblewrap): it sees its own workspace
            and read-only system directories, never the server&apos;s data or other workspaces; it
            reaches the network only through the egress-checked proxy; in plan mode it can write
            nothing but the plan file and has no network at all.
          </span>
        </p>
      );
    case "disabled":
      return (
        <Alert variant="destructive">
          <ShieldOffIcon aria-hidden="true" />
          <AlertTitle>Workspace commands are disabled</AlertTitle>
          <AlertDescription>
            <p>
              The OS sandbox every workspace command must run in is unavailable, so commands are
              refused rather than run unconfined.
            </p>
            {reason}
            <FixHint />
          </AlertDescription>
        </Alert>
      );
    case "unconfined":
      return (
        <Alert variant="destructive" className="border-2 border-destructive">
          <ShieldAlertIcon aria-hidden="true" />
          <AlertTitle>Workspace commands run unconfined</AlertTitle>
          <AlertDescription>
            <p>
              <strong>
                TOOLGATE_UNSAFE_NO_SANDBOX is set and the sandbox is unavailable: commands in normal
                turns run with the workspace agent&apos;s own rights, with no filesystem, network or
                process isolation.
              </strong>{" "}
              Plan-mode commands are still refused. Use this only for development.
            </p>
            {reason}
            <FixHint />
          </AlertDescription>
        </Alert>
      );
    case "confined_unsafe_set":
      return (
        <Alert variant="destructive">
          <ShieldAlertIcon aria-hidden="true" />
          <AlertTitle>TOOLGATE_UNSAFE_NO_SANDBOX is set</AlertTitle>
          <AlertDescription>
            <p>
              Commands run in the OS sandbox (bubblewrap) now, but if it stops working, commands in
              normal turns will run unconfined instead of being refused. Unset the variable outside
              development.
            </p>
          </AlertDescription>
        </Alert>
      );
  }
}
