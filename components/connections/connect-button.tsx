"use client";

import { ExternalLinkIcon, PlugIcon } from "lucide-react";
import type { ComponentProps, MouseEvent } from "react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ButtonSpinner } from "@/components/ui/spinner";
import { cn } from "@/lib/utils";
import type { BlockedPopup, McpConnectTarget, McpConnector } from "./use-mcp-connect";

type ButtonProps = Omit<ComponentProps<typeof Button>, "children" | "asChild">;

/**
 * "Connect <server>": opens the OAuth2 popup through a `useMcpConnect()` connector. Extra
 * props reach the button, so a menu can render it as its item (`asChild`).
 */
export function ConnectButton({
  server,
  connector,
  onClick,
  variant = "outline",
  size = "sm",
  ...props
}: ButtonProps & { server: McpConnectTarget; connector: McpConnector }) {
  const busy = connector.connecting.has(server.id);
  return (
    <Button
      type="button"
      variant={variant}
      size={size}
      aria-label={`Connect ${server.display_name}`}
      aria-busy={busy || undefined}
      {...props}
      onClick={(event: MouseEvent<HTMLButtonElement>) => {
        onClick?.(event);
        if (!event.defaultPrevented) connector.connect(server);
      }}
    >
      {busy ? <ButtonSpinner /> : <PlugIcon aria-hidden="true" />}
      {busy ? "Connecting…" : "Connect"}
    </Button>
  );
}

/**
 * The link that opens a blocked popup in a new tab. `rel="opener"`: a `_blank` link is
 * `noopener` by default, and the callback page reports back through `window.opener`.
 */
export function PopupBlockedLink({
  blocked,
  connector,
  className,
  onClick,
  ...props
}: Omit<ComponentProps<"a">, "href" | "target" | "rel" | "children"> & {
  blocked: BlockedPopup;
  connector: McpConnector;
}) {
  return (
    <a
      {...props}
      href={blocked.url}
      target="_blank"
      rel="opener"
      className={cn("inline-flex items-center gap-1 font-medium underline", className)}
      onClick={(event) => {
        onClick?.(event);
        connector.openedInTab(blocked);
      }}
    >
      Open the sign-in for {blocked.serverName} in a new tab
      <ExternalLinkIcon aria-hidden="true" className="size-3.5" />
    </a>
  );
}

/** Shown beside a Connect button whose popup the browser blocked. */
export function PopupBlockedNotice({
  serverId,
  connector,
  className,
}: {
  serverId: string;
  connector: McpConnector;
  className?: string;
}) {
  const blocked = connector.blocked;
  if (!blocked || blocked.serverId !== serverId) return null;
  return (
    <Alert className={className}>
      <AlertTitle>The sign-in window was blocked</AlertTitle>
      <AlertDescription className="flex flex-col items-start gap-2">
        <p>Your browser blocked the pop-up. Allow pop-ups for toolgate, or continue in a tab:</p>
        <div className="flex flex-wrap items-center gap-3">
          <PopupBlockedLink blocked={blocked} connector={connector} />
          <Button type="button" variant="ghost" size="sm" onClick={connector.dismissBlocked}>
            Dismiss
          </Button>
        </div>
      </AlertDescription>
    </Alert>
  );
}
