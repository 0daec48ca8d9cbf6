import type { Metadata } from "next";
import { headers } from "next/headers";
import type { ReactNode } from "react";
import { Providers } from "@/components/providers";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "toolgate", template: "%s · toolgate" },
  description: "Self-hosted AI chat with governed MCP tools",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Reading the request's nonce (set by proxy.ts) also renders every page per request: a page
  // prerendered at build time would carry no nonce, and its scripts would be blocked.
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  return (
    <html lang="en" suppressHydrationWarning>
      <body className="min-h-svh bg-background text-foreground antialiased">
        <Providers nonce={nonce}>{children}</Providers>
      </body>
    </html>
  );
}
