"use client";

import { formatDateTime } from "@/components/format";
import { Badge } from "@/components/ui/badge";
import { LazyTooltip } from "@/components/ui/lazy-tooltip";
import type { McpServerStatus } from "@/lib/client/types";

const HEALTH: Record<
  McpServerStatus["state"],
  { label: string; variant: "secondary" | "destructive" | "outline"; dot: string }
> = {
  ok: { label: "Healthy", variant: "secondary", dot: "bg-emerald-500" },
  error: { label: "Error", variant: "destructive", dot: "bg-white" },
  unknown: { label: "Not checked", variant: "outline", dot: "bg-muted-foreground" },
};

export function HealthBadge({ status }: { status: McpServerStatus }) {
  const health = HEALTH[status.state] ?? HEALTH.unknown;
  const checked = status.checked_at
    ? `Checked ${formatDateTime(status.checked_at)}`
    : "Not checked yet: run a connection test";
  const detail = status.detail ? `${checked}. ${status.detail}` : checked;
  return (
    <LazyTooltip content={detail} contentClassName="max-w-xs">
      {/* Focusable so keyboard users can read the detail too. */}
      <Badge variant={health.variant} tabIndex={0}>
        <span aria-hidden="true" className={`size-1.5 rounded-full ${health.dot}`} />
        {health.label}
        <span className="sr-only">. {detail}</span>
      </Badge>
    </LazyTooltip>
  );
}
