"use client";

import { useQuery } from "@tanstack/react-query";
import { BoxIcon, SquareIcon } from "lucide-react";
import { useState } from "react";
import { formatDateTime } from "@/components/format";
import { QueryView } from "@/components/query-view";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { STATUS_TEXT, StatusDot } from "@/components/workspaces/workspace-status";
import { adminWorkspacesQuery } from "@/lib/client/workspace-queries";
import type { AdminWorkspace, AdminWorkspaces } from "@/lib/client/workspace-types";
import { SandboxStatus } from "./sandbox-status";
import { StopWorkspaceDialog } from "./stop-workspace-dialog";
import { canStop } from "./workspaces-admin-logic";

// A starting workspace settles within a minute (running or error): follow it until then.
const whileStarting = (query: { state: { data?: AdminWorkspaces } }) =>
  query.state.data?.workspaces.some((w) => w.status === "starting") ? 2_000 : false;

export function WorkspacesAdmin() {
  // One request; two views of it, so the list gets QueryView's states and the sandbox its own.
  const workspaces = useQuery({
    ...adminWorkspacesQuery(),
    select: (data: AdminWorkspaces) => data.workspaces,
    refetchInterval: whileStarting,
  });
  const sandbox = useQuery({
    ...adminWorkspacesQuery(),
    select: (data: AdminWorkspaces) => data.sandbox,
  });
  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-6">
      <PageHeader
        title="Workspaces"
        description="Every user's workspaces, and whether their commands run sandboxed. Stopping a workspace ends its commands and project MCP servers; its files stay."
      />
      {sandbox.isSuccess ? (
        <section aria-label="Workspace sandbox">
          <SandboxStatus sandbox={sandbox.data} />
        </section>
      ) : null}
      <QueryView
        query={workspaces}
        loadingLabel="Loading workspaces"
        skeletonClassName="h-12 w-full"
        empty={
          <EmptyState
            icon={<BoxIcon />}
            title="No workspaces yet"
            description="Workspaces appear here once someone creates one from a chat."
          />
        }
      >
        {(data) => (
          <div className="rounded-lg border">
            <Table aria-label="Workspaces">
              <TableHeader>
                <TableRow>
                  <TableHead>Name</TableHead>
                  <TableHead>Owner</TableHead>
                  <TableHead>Template</TableHead>
                  <TableHead>Status</TableHead>
                  <TableHead>Error</TableHead>
                  <TableHead>Created</TableHead>
                  <TableHead className="text-right">
                    <span className="sr-only">Actions</span>
                  </TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {data.map((w) => (
                  <WorkspaceRow key={w.id} workspace={w} />
                ))}
              </TableBody>
            </Table>
          </div>
        )}
      </QueryView>
    </div>
  );
}

function WorkspaceRow({ workspace }: { workspace: AdminWorkspace }) {
  const [stopOpen, setStopOpen] = useState(false);
  return (
    <TableRow>
      <TableCell className="font-medium">{workspace.name}</TableCell>
      <TableCell>
        <div className="flex flex-col">
          <span>{workspace.owner_name}</span>
          <span className="text-xs text-muted-foreground">{workspace.owner_email}</span>
        </div>
      </TableCell>
      <TableCell>
        <code className="text-xs">{workspace.template}</code>
      </TableCell>
      <TableCell>
        <Badge variant="outline">
          <StatusDot status={workspace.status} />
          {STATUS_TEXT[workspace.status]}
        </Badge>
      </TableCell>
      <TableCell className="max-w-80 whitespace-normal">
        {workspace.error ? (
          <span className="text-xs break-words text-destructive">{workspace.error}</span>
        ) : (
          <>
            <span aria-hidden="true" className="text-muted-foreground">
              —
            </span>
            <span className="sr-only">None</span>
          </>
        )}
      </TableCell>
      <TableCell>{formatDateTime(workspace.created_at)}</TableCell>
      <TableCell className="text-right">
        {canStop(workspace.status) ? (
          <Button
            variant="outline"
            size="sm"
            aria-label={`Stop workspace ${workspace.name}`}
            onClick={() => setStopOpen(true)}
          >
            <SquareIcon aria-hidden="true" />
            Stop
          </Button>
        ) : null}
        {/* Mounted whatever the status, so a refetch that stops it meanwhile cannot drop the answer. */}
        <StopWorkspaceDialog workspace={workspace} open={stopOpen} onOpenChange={setStopOpen} />
      </TableCell>
    </TableRow>
  );
}
