"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { CheckCircle2Icon, CircleDashedIcon, PlugZapIcon, UnplugIcon } from "lucide-react";
import { useId, useState } from "react";
import { toast } from "@/components/ui/toast";
import { McpServerIcon } from "@/components/admin/mcp-servers/mcp-server-icon";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { ErrorView } from "@/components/error-view";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Skeleton } from "@/components/ui/skeleton";
import { ButtonSpinner } from "@/components/ui/spinner";
import { errorMessage } from "@/lib/client/api";
import { disconnectMcpServerMutation, mcpServersQuery } from "@/lib/client/mcp-queries";
import type { McpServerConfig } from "@/lib/client/types";
import { ConnectButton, PopupBlockedNotice } from "./connect-button";
import {
  CONNECTION_STATE_LABELS,
  connectionServers,
  connectionState,
  type ConnectionState,
} from "./oauth2-popup";
import { useMcpConnect, type McpConnector } from "./use-mcp-connect";

/**
 * The settings card of the MCP servers that act as the user: OAuth2 servers the user connects
 * through a popup (and may disconnect), and servers that reuse the user's OIDC sign-in.
 */
export function ConnectionsCard() {
  const servers = useQuery(mcpServersQuery());
  const connector = useMcpConnect();
  const titleId = useId();
  return (
    <Card role="region" aria-labelledby={titleId}>
      <CardHeader>
        <CardTitle asChild>
          <h2 id={titleId}>Connections</h2>
        </CardTitle>
        <CardDescription>
          MCP servers that act with your own account. Connect once: toolgate keeps the sign-in fresh
          and uses it only for the servers you pick in a chat.
        </CardDescription>
      </CardHeader>
      <CardContent>
        {servers.isPending ? (
          <div
            role="status"
            className="flex flex-col gap-2"
            aria-busy="true"
            aria-label="Loading connections"
          >
            <Skeleton className="h-12 w-full" />
            <Skeleton className="h-12 w-full" />
          </div>
        ) : servers.isError ? (
          <ErrorView message={errorMessage(servers.error)} onRetry={() => void servers.refetch()} />
        ) : (
          <ConnectionList servers={connectionServers(servers.data)} connector={connector} />
        )}
      </CardContent>
    </Card>
  );
}

function ConnectionList({
  servers,
  connector,
}: {
  servers: McpServerConfig[];
  connector: McpConnector;
}) {
  if (servers.length === 0) {
    return (
      <EmptyState
        titleAs="h3"
        icon={<PlugZapIcon />}
        title="Nothing to connect"
        description="No MCP server asks for your own sign-in. When an admin adds one, it appears here."
      />
    );
  }
  return (
    <ul aria-label="MCP server connections" className="flex flex-col divide-y">
      {servers.map((server) => (
        <ConnectionRow key={server.id} server={server} connector={connector} />
      ))}
    </ul>
  );
}

function StateBadge({ state }: { state: ConnectionState }) {
  const ok = state === "connected" || state === "oidc_ready";
  return (
    <Badge
      variant="outline"
      className={
        ok
          ? "border-emerald-500/50 font-normal text-emerald-700 dark:text-emerald-400"
          : "border-amber-500/50 font-normal text-amber-700 dark:text-amber-400"
      }
    >
      {ok ? <CheckCircle2Icon aria-hidden="true" /> : <CircleDashedIcon aria-hidden="true" />}
      {CONNECTION_STATE_LABELS[state]}
    </Badge>
  );
}

function ConnectionRow({
  server,
  connector,
}: {
  server: McpServerConfig;
  connector: McpConnector;
}) {
  const state = connectionState(server);
  const nameId = useId();
  return (
    <li aria-labelledby={nameId} className="flex flex-col gap-3 py-3 first:pt-0 last:pb-0">
      <div className="flex flex-wrap items-center gap-3">
        <McpServerIcon
          src={server.icon_url}
          name={server.display_name}
          decorative
          className="size-8"
        />
        <div className="flex min-w-0 flex-1 flex-col gap-1">
          <span id={nameId} className="font-medium">
            {server.display_name}
          </span>
          {server.description ? (
            <span className="line-clamp-2 text-xs text-muted-foreground">{server.description}</span>
          ) : null}
        </div>
        <StateBadge state={state} />
        {server.auth_type === "oauth2" ? (
          <DisconnectButton server={server} connected={state === "connected"} />
        ) : null}
        {state === "not_connected" ? <ConnectButton server={server} connector={connector} /> : null}
      </div>
      {state === "oidc_missing" ? (
        <p className="text-sm text-muted-foreground">
          This server uses the account you sign in to toolgate with through OIDC. Sign out and sign
          in with OIDC to use it.
        </p>
      ) : null}
      <PopupBlockedNotice serverId={server.id} connector={connector} />
    </li>
  );
}

/**
 * Stays mounted after the button goes: the row flips to "Connect" as soon as the list is
 * refetched, before the mutation settles, and its toast must still be shown.
 */
function DisconnectButton({ server, connected }: { server: McpServerConfig; connected: boolean }) {
  const qc = useQueryClient();
  const disconnect = useMutation(disconnectMcpServerMutation(qc));
  const [open, setOpen] = useState(false);
  const name = server.display_name;
  return (
    <>
      {connected ? (
        <Button
          type="button"
          variant="outline"
          size="sm"
          aria-label={`Disconnect ${name}`}
          disabled={disconnect.isPending}
          aria-busy={disconnect.isPending || undefined}
          onClick={() => setOpen(true)}
        >
          {disconnect.isPending ? <ButtonSpinner /> : <UnplugIcon aria-hidden="true" />}
          Disconnect
        </Button>
      ) : null}
      <ConfirmDialog
        open={open}
        onOpenChange={setOpen}
        title={`Disconnect “${name}”?`}
        description="toolgate forgets your sign-in for this server and asks its provider to revoke it. Its tools stop working in your chats until you connect again."
        confirmLabel="Disconnect"
        pending={disconnect.isPending}
        onConfirm={() =>
          disconnect.mutate(server.id, {
            onSuccess: () => {
              toast.success(`Disconnected from ${name}`);
              setOpen(false);
            },
            onError: (err) => toast.error(errorMessage(err)),
          })
        }
      />
    </>
  );
}
