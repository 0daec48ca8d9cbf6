"use client";

import { useSyncExternalStore } from "react";
import { formatDateTime } from "./format";

const neverChanges = () => () => undefined;
const asServer = new Intl.DateTimeFormat("en-US", {
  dateStyle: "medium",
  timeStyle: "short",
  timeZone: "UTC",
});

/**
 * A stored time in the browser's own zone and language. A page rendered on the server cannot
 * know either, so the server and the hydrating browser both write it in UTC; the browser then
 * switches to its own at once. Text that differed between the two would make React discard
 * the server's HTML.
 */
export function DateTime({ value, empty }: { value: string | null | undefined; empty?: string }) {
  const hydrated = useSyncExternalStore(
    neverChanges,
    () => true,
    () => false,
  );
  if (hydrated) return <>{formatDateTime(value, empty)}</>;
  const d = value ? new Date(value) : undefined;
  return <>{d && !Number.isNaN(d.getTime()) ? asServer.format(d) : (empty ?? "Never")}</>;
}
