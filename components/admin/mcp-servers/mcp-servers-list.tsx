"use client";

import { QueryView } from "@/components/query-view";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { MoreHorizontalIcon, PlusIcon, ServerIcon } from "lucide-react";
import Link from "next/link";
import { toast } from "@/components/ui/toast";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { LazyPopup, lazyModule } from "@/components/ui/lazy-popup";
import { PageHeader } from "@/components/ui/page-header";
import { Switch } from "@/components/ui/switch";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { errorMessage } from "@/lib/client/api";
import { mcpServersQuery, updateMcpServerMutation } from "@/lib/client/mcp-queries";
import type { McpServerConfig } from "@/lib/client/types";
import { HealthBadge } from "./health-badge";
import { McpServerIcon } from "./mcp-server-icon";
import { AUTH_TYPE_LABELS, AVAILABILITY_LABELS } from "./mcp-server-labels";

// A row's menu and its delete confirmation (Radix menu, dialog, positioning) load on first use.
const rowMenu = lazyModule(() => import("./server-row-menu").then((m) => m.ServerRowMenu));

function AddServerButton() {
  return (
    <Button asChild>
      <Link href="/admin/mcp-servers/new">
        <PlusIcon aria-hidden="true" />
        Add server
      </Link>
    </Button>
  );
}

export function McpServersList() {
  const servers = useQuery(mcpServersQuery());
  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-6">
      <PageHeader
        title="MCP servers"
        description="Register the MCP servers whose tools chats may use, and decide how each may be used."
        actions={<AddServerButton />}
      />
      <QueryView
        query={servers}
        loadingLabel="Loading MCP servers"
        skeletonClassName="h-12 w-full"
        empty={
          <EmptyState
            icon={<ServerIcon />}
            title="No MCP servers yet"
            description="Add a server to offer its tools in chats. New servers start disabled, so you can test them first."
            action={<AddServerButton />}
          />
        }
      >
        {(data) => (
          <div className="rounded-lg border">
            <Table aria-label="MCP servers">
              <TableHeader>
                <TableRow>
                  <TableHead>Server</TableHead>
                  <TableHead>URL</TableHead>
                  <TableHead>Auth</TableHead>
                  <TableHead>Health</TableHead>
                  <TableHead>Availability</TableHead>
                  <TableHead>Plan mode</TableHead>
                  <TableHead>Enabled</TableHead>
                  <TableHead className="text-right">
                    <span className="sr-only">Actions</span>
                  </TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {data.map((s) => (
                  <ServerRow key={s.id} server={s} />
                ))}
              </TableBody>
            </Table>
          </div>
        )}
      </QueryView>
    </div>
  );
}

function ServerRow({ server }: { server: McpServerConfig }) {
  const qc = useQueryClient();
  const update = useMutation(updateMcpServerMutation(qc));
  const editHref = `/admin/mcp-servers/${server.id}`;

  // A single-field toggle: no If-Match, so it never fights an unrelated concurrent edit.
  const toggle = (enabled: boolean) =>
    update.mutate(
      { id: server.id, patch: { enabled } },
      {
        onSuccess: () =>
          toast.success(`${server.display_name} is ${enabled ? "enabled" : "disabled"}`),
        onError: (err) => toast.error(errorMessage(err)),
      },
    );

  return (
    <TableRow>
      <TableCell>
        <div className="flex items-center gap-3">
          <McpServerIcon src={server.icon_url} name={server.display_name} />
          <div className="flex min-w-0 flex-col">
            <Link href={editHref} className="font-medium underline-offset-4 hover:underline">
              {server.display_name}
            </Link>
            <code className="text-xs text-muted-foreground">{server.slug}</code>
            {server.tools_pending_review ? (
              <Link href={`${editHref}?tab=tools`} className="w-fit">
                <Badge variant="destructive">
                  {server.tools_pending_review} tool
                  {server.tools_pending_review === 1 ? "" : "s"} to review
                </Badge>
              </Link>
            ) : null}
          </div>
        </div>
      </TableCell>
      <TableCell className="max-w-64">
        <span className="block truncate text-sm text-muted-foreground" title={server.url}>
          {server.url}
        </span>
      </TableCell>
      <TableCell>{AUTH_TYPE_LABELS[server.auth_type] ?? server.auth_type}</TableCell>
      <TableCell>
        <HealthBadge status={server.status} />
      </TableCell>
      <TableCell>{AVAILABILITY_LABELS[server.availability] ?? server.availability}</TableCell>
      <TableCell className="text-sm">
        {!server.allow_in_plan_mode
          ? "Off"
          : server.plan_mode_tools === null
            ? "All tools"
            : `${server.plan_mode_tools.length} tool${server.plan_mode_tools.length === 1 ? "" : "s"}`}
      </TableCell>
      <TableCell>
        <Switch
          checked={update.isPending ? Boolean(update.variables?.patch.enabled) : server.enabled}
          disabled={update.isPending}
          onCheckedChange={toggle}
          aria-label={`Enabled: ${server.display_name}`}
        />
      </TableCell>
      <TableCell className="text-right">
        <LazyPopup
          module={rowMenu}
          opensOn="menu"
          props={{ server }}
          trigger={
            <Button variant="ghost" size="icon" aria-label={`Actions for ${server.display_name}`}>
              <MoreHorizontalIcon aria-hidden="true" />
            </Button>
          }
        />
      </TableCell>
    </TableRow>
  );
}
