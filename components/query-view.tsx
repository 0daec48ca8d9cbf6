"use client";

import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { ErrorView } from "@/components/error-view";
import { Skeleton } from "@/components/ui/skeleton";
import { errorMessage } from "@/lib/client/api";

/**
 * The three states every list screen has before its content: loading skeletons, an error
 * with a retry, and an empty state. Renders `children(data)` once there is something to show.
 */
export function QueryView<T extends readonly unknown[]>({
  query,
  loadingLabel,
  skeletonRows = 3,
  skeletonClassName = "h-10 w-full",
  empty,
  children,
}: {
  query: UseQueryResult<T>;
  loadingLabel: string;
  skeletonRows?: number;
  skeletonClassName?: string;
  empty: ReactNode;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) {
    return (
      <div role="status" className="flex flex-col gap-2" aria-busy="true" aria-label={loadingLabel}>
        {Array.from({ length: skeletonRows }, (_, i) => (
          <Skeleton key={i} className={skeletonClassName} />
        ))}
      </div>
    );
  }
  if (query.isError) {
    return <ErrorView message={errorMessage(query.error)} onRetry={() => void query.refetch()} />;
  }
  return query.data.length === 0 ? empty : children(query.data);
}
