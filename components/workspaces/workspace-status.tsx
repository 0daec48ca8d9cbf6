import type { WorkspaceStatus } from "@/lib/client/workspace-types";
import { cn } from "@/lib/utils";

export const STATUS_TEXT: Record<WorkspaceStatus, string> = {
  running: "Running",
  starting: "Starting",
  stopped: "Stopped",
  error: "Error",
};

/** Decorative: always pair it with STATUS_TEXT so the state is not told by colour alone. */
export function StatusDot({ status }: { status: WorkspaceStatus | undefined }) {
  return (
    <span
      aria-hidden="true"
      className={cn(
        "size-2 shrink-0 rounded-full",
        status === "running" && "bg-emerald-500",
        status === "starting" && "animate-pulse bg-amber-500",
        status === "error" && "bg-destructive",
        (status === "stopped" || status === undefined) && "bg-muted-foreground/40",
      )}
    />
  );
}
