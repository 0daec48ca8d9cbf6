import { dehydrate, HydrationBoundary, QueryClient, type QueryKey } from "@tanstack/react-query";
import type { ReactNode } from "react";

/** One query a page read on the server: its key, the route's JSON (null: not read). */
export interface Seed {
  key: QueryKey;
  data: unknown;
  /** When it was read, when a client component must recognise this copy (the chat page). */
  updatedAt?: number;
}

/**
 * Hands what the page read on the server to the browser's query cache: the server-rendered
 * HTML already shows it, and the client queries start from it instead of fetching on mount.
 * An entry the cache already holds is replaced only by a newer copy (TanStack Query's rule).
 */
export function Prefetched({ seeds, children }: { seeds: Seed[]; children: ReactNode }) {
  const client = new QueryClient();
  for (const seed of seeds) {
    if (seed.data === null || seed.data === undefined) continue;
    client.setQueryData(seed.key, seed.data, { updatedAt: seed.updatedAt });
  }
  return <HydrationBoundary state={dehydrate(client)}>{children}</HydrationBoundary>;
}
