import * as React from "react";

import { cn } from "@/lib/utils";

/**
 * Loading placeholder. Purely visual (`aria-hidden`): mark the loading region
 * with `aria-busy="true"` and/or render a `Spinner` label for screen readers.
 */
function Skeleton({ className, ...props }: React.ComponentProps<"div">) {
  return (
    <div
      data-slot="skeleton"
      aria-hidden="true"
      className={cn("animate-pulse rounded-md bg-accent", className)}
      {...props}
    />
  );
}

export { Skeleton };
