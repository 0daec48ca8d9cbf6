"use client";

import {
  ClipboardListIcon,
  LockIcon,
  PauseIcon,
  ServerIcon,
  TriangleAlertIcon,
} from "lucide-react";
import Link from "next/link";
import { useId, type ReactNode } from "react";
import { McpServerIcon } from "@/components/admin/mcp-servers/mcp-server-icon";
import { ConnectButton, PopupBlockedLink } from "@/components/connections/connect-button";
import { needsOauth2Connect } from "@/components/connections/oauth2-popup";
import { useMcpConnect, type McpConnector } from "@/components/connections/use-mcp-connect";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuCheckboxItem,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import type { McpServerConfig } from "@/lib/client/types";
import {
  activeServerCount,
  authBadge,
  isServerOn,
  pickableServers,
  toggleServer,
} from "./mcp-selection";
import type { ChatNotice } from "./message-convert";
import { noticeText } from "./notice";

/**
 * Picks the MCP servers of the next turn: enabled servers only; always-on ones are checked and
 * locked; the menu stays open while the user ticks several.
 */
export function McpServerPicker({
  servers,
  selection,
  onChange,
  isLoading = false,
  isAdmin = false,
  disabled = false,
  planMode = false,
  issues,
}: {
  servers: readonly McpServerConfig[];
  selection: readonly string[];
  onChange: (next: string[]) => void;
  isLoading?: boolean;
  isAdmin?: boolean;
  disabled?: boolean;
  /** Mark which servers a plan turn uses (allow_in_plan_mode) and which it pauses. */
  planMode?: boolean;
  /** Servers the latest answer could not use, with why. */
  issues?: ReadonlyMap<string, ChatNotice>;
}) {
  const pickable = pickableServers(servers);
  const count = activeServerCount(servers, selection);
  const troubled = pickable.filter((s) => issues?.has(s.id) && isServerOn(s, selection)).length;
  const titleId = useId();
  // Here rather than in the menu's items: the popup outlives them.
  const connector = useMcpConnect();
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button
          type="button"
          variant="ghost"
          size="sm"
          disabled={disabled || isLoading}
          aria-busy={isLoading || undefined}
          className="text-muted-foreground"
        >
          <ServerIcon aria-hidden="true" />
          <span className="sr-only sm:not-sr-only">MCP servers</span>
          <Badge variant="secondary" className="px-1.5 tabular-nums">
            <span aria-hidden="true">{count}</span>
            <span className="sr-only">({count} on)</span>
          </Badge>
          {troubled > 0 ? (
            <>
              <TriangleAlertIcon aria-hidden="true" className="text-destructive" />
              <span className="sr-only">({troubled} unavailable)</span>
            </>
          ) : null}
        </Button>
      </DropdownMenuTrigger>
      {/* Named by its title, not by the trigger (whose name includes the count). */}
      <DropdownMenuContent align="start" className="w-80" aria-labelledby={titleId}>
        <DropdownMenuLabel className="flex flex-col gap-0.5">
          <span id={titleId}>MCP servers</span>
          <span className="text-xs font-normal text-muted-foreground">
            {planMode
              ? "Plan mode: only servers an admin approved for planning are used; the others are paused until you leave plan mode."
              : "The model may use the tools of the servers that are on."}
          </span>
        </DropdownMenuLabel>
        <DropdownMenuSeparator />
        {pickable.length === 0 ? (
          isAdmin ? (
            <DropdownMenuItem asChild>
              <Link href="/admin/mcp-servers">No MCP servers are enabled. Add or enable one.</Link>
            </DropdownMenuItem>
          ) : (
            <p className="px-2 py-1.5 text-sm text-muted-foreground">
              No MCP servers are available. An admin can add them.
            </p>
          )
        ) : (
          pickable.flatMap((server) => {
            const locked = server.availability === "force_on";
            // An OAuth2 server the user has not connected gets a Connect button instead.
            const badge = needsOauth2Connect(server) ? null : authBadge(server);
            return [
              <DropdownMenuCheckboxItem
                key={server.id}
                checked={isServerOn(server, selection)}
                disabled={locked}
                // Keep the menu open so several servers can be toggled in one go.
                onSelect={(e) => e.preventDefault()}
                onCheckedChange={(on) => onChange(toggleServer(selection, server, on === true))}
                className="items-start gap-3 py-2 data-[disabled]:opacity-100"
              >
                <McpServerIcon
                  src={server.icon_url}
                  name={server.display_name}
                  decorative
                  className="size-7"
                />
                <span className="flex min-w-0 flex-1 flex-col gap-0.5">
                  <span className="flex flex-wrap items-center gap-1.5 font-medium">
                    {server.display_name}
                    {locked ? (
                      <Badge variant="secondary" className="font-normal">
                        <LockIcon aria-hidden="true" />
                        Always on
                      </Badge>
                    ) : null}
                    {issues?.has(server.id) && isServerOn(server, selection) ? (
                      <Badge
                        variant="outline"
                        className="border-destructive/50 font-normal text-destructive"
                      >
                        <TriangleAlertIcon aria-hidden="true" />
                        {issues.get(server.id)!.code === "mcp.auth_required"
                          ? "Sign-in needed"
                          : "Unavailable"}
                      </Badge>
                    ) : null}
                    {planMode ? (
                      <PlanBadge server={server} on={isServerOn(server, selection)} />
                    ) : null}
                    {badge ? (
                      <Badge
                        variant="outline"
                        className="border-amber-500/50 font-normal text-amber-700 dark:text-amber-400"
                      >
                        {badge}
                      </Badge>
                    ) : null}
                  </span>
                  {issues?.has(server.id) && isServerOn(server, selection) ? (
                    <span className="text-xs text-destructive">
                      {issueText(issues.get(server.id)!, server, isAdmin)}
                    </span>
                  ) : null}
                  {server.description ? (
                    <span className="line-clamp-2 text-xs text-muted-foreground">
                      {server.description}
                    </span>
                  ) : null}
                </span>
              </DropdownMenuCheckboxItem>,
              ...connectItems(server, connector),
            ];
          })
        )}
      </DropdownMenuContent>
    </DropdownMenu>
  );
}

/** "Connect <server>" under an unconnected OAuth2 server, and the blocked-popup link. */
function connectItems(server: McpServerConfig, connector: McpConnector): ReactNode[] {
  if (!needsOauth2Connect(server)) return [];
  const blocked = connector.blocked?.serverId === server.id ? connector.blocked : null;
  return [
    // Keeps the menu open: the item goes away when the popup reports back.
    <DropdownMenuItem key={`${server.id}:connect`} asChild onSelect={(e) => e.preventDefault()}>
      <ConnectButton
        server={server}
        connector={connector}
        variant="ghost"
        className="ml-10 w-fit"
      />
    </DropdownMenuItem>,
    ...(blocked
      ? [
          <p
            key={`${server.id}:blocked`}
            role="alert"
            className="ml-10 px-2 text-xs text-muted-foreground"
          >
            The browser blocked the sign-in window.
          </p>,
          <DropdownMenuItem key={`${server.id}:tab`} asChild>
            <PopupBlockedLink
              blocked={blocked}
              connector={connector}
              className="ml-10 w-fit text-xs"
            />
          </DropdownMenuItem>,
        ]
      : []),
  ];
}

/** In plan mode: whether this server takes part in the plan turn. */
function PlanBadge({ server, on }: { server: McpServerConfig; on: boolean }) {
  if (server.allow_in_plan_mode) {
    const some = server.plan_mode_tools !== null;
    return (
      <Badge
        variant="outline"
        className="border-emerald-600/40 font-normal text-emerald-700 dark:text-emerald-400"
      >
        <ClipboardListIcon aria-hidden="true" />
        {on ? "Used for planning" : "Approved for planning"}
        {some ? ` (${server.plan_mode_tools!.length} tools)` : ""}
      </Badge>
    );
  }
  return (
    <Badge variant="outline" className="font-normal text-muted-foreground">
      <PauseIcon aria-hidden="true" />
      {on ? "Paused while planning" : "Not approved for planning"}
    </Badge>
  );
}

/**
 * Why the server was skipped in the latest answer. Admins get the server's own message (they can
 * fix it); members get a plain sentence, since the cause is not theirs to act on.
 */
function issueText(notice: ChatNotice, server: McpServerConfig, isAdmin: boolean): string {
  if (isAdmin)
    return noticeText(notice, [server]).replace(
      / was skipped: /,
      " was skipped in the last answer: ",
    );
  if (notice.code === "mcp.auth_required") return "Connect your account to use it.";
  return "It could not be used in the last answer. An admin can check it.";
}
