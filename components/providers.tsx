"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { ThemeProvider } from "next-themes";
import { useEffect, useState, type ReactNode } from "react";
import { LazyToaster } from "@/components/ui/toast";
import { ApiRequestError } from "@/lib/client/api";

export function Providers({ children, nonce }: { children: ReactNode; nonce?: string }) {
  const [client] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: {
            staleTime: 15_000,
            // Retrying a 4xx only delays the error the user needs to see.
            retry: (count, err) =>
              count < 2 &&
              !(err instanceof ApiRequestError && err.status >= 400 && err.status < 500),
          },
        },
      }),
  );
  // Pages arrive rendered with their data; until React has hydrated them, clicks and typing
  // on that HTML do nothing. The mark says when they work (the end-to-end tests wait for it).
  useEffect(() => {
    document.documentElement.dataset.hydrated = "true";
  }, []);
  return (
    <ThemeProvider
      attribute="class"
      defaultTheme="system"
      enableSystem
      disableTransitionOnChange
      // The theme script runs inline before hydration: it needs the page's CSP nonce.
      nonce={nonce}
    >
      <QueryClientProvider client={client}>
        {children}
        <LazyToaster richColors closeButton />
      </QueryClientProvider>
    </ThemeProvider>
  );
}
