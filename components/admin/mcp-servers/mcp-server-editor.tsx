"use client";

import { useQuery } from "@tanstack/react-query";
import { ArrowLeftIcon, SearchXIcon, Trash2Icon } from "lucide-react";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useState, type ReactNode } from "react";
import { ErrorView } from "@/components/error-view";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Skeleton } from "@/components/ui/skeleton";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { ApiRequestError, errorMessage } from "@/lib/client/api";
import { mcpServerQuery } from "@/lib/client/mcp-queries";
import type { McpServerConfig } from "@/lib/client/types";
import { DeleteMcpServerDialog } from "./delete-mcp-server-dialog";
import { McpServerForm } from "./mcp-server-form";
import { McpServerIcon } from "./mcp-server-icon";
import { HealthBadge } from "./health-badge";
import { McpServerTestPanel } from "./mcp-server-test-panel";
import { McpServerToolsTab } from "./tools-tab";

function BackLink() {
  return (
    <Link
      href="/admin/mcp-servers"
      className="inline-flex w-fit items-center gap-1 text-sm text-muted-foreground hover:text-foreground"
    >
      <ArrowLeftIcon aria-hidden="true" className="size-4" />
      MCP servers
    </Link>
  );
}

export function McpServerPageFrame({ children }: { children: ReactNode }) {
  return (
    <div className="mx-auto flex max-w-4xl flex-col gap-6">
      <BackLink />
      {children}
    </div>
  );
}

export function NewMcpServer() {
  return (
    <McpServerPageFrame>
      <PageHeader
        title="Add MCP server"
        description="Saving does not connect to the server. New servers start disabled: test the connection on the next page, then enable it."
      />
      <McpServerForm />
    </McpServerPageFrame>
  );
}

export function McpServerEditor({ id }: { id: string }) {
  const server = useQuery(mcpServerQuery(id));
  return (
    <McpServerPageFrame>
      {server.isPending ? (
        <div
          role="status"
          className="flex flex-col gap-4"
          aria-busy="true"
          aria-label="Loading MCP server"
        >
          <Skeleton className="h-10 w-1/2" />
          <Skeleton className="h-40 w-full" />
          <Skeleton className="h-64 w-full" />
        </div>
      ) : server.isError ? (
        server.error instanceof ApiRequestError && server.error.status === 404 ? (
          <EmptyState
            titleAs="h1"
            icon={<SearchXIcon />}
            title="Server not found"
            description="It may have been deleted by another admin."
            action={
              <Button asChild variant="outline">
                <Link href="/admin/mcp-servers">Back to MCP servers</Link>
              </Button>
            }
          />
        ) : (
          <ErrorView message={errorMessage(server.error)} onRetry={() => void server.refetch()} />
        )
      ) : (
        <LoadedEditor config={server.data} />
      )}
    </McpServerPageFrame>
  );
}

function LoadedEditor({ config }: { config: McpServerConfig }) {
  const router = useRouter();
  const initialTab = useSearchParams().get("tab") === "tools" ? "tools" : "settings";
  const [dirty, setDirty] = useState(false);
  const [deleteOpen, setDeleteOpen] = useState(false);
  return (
    <>
      <PageHeader
        title={
          <span className="flex items-center gap-3">
            <McpServerIcon
              src={config.icon_url}
              name={config.display_name}
              className="size-9"
              decorative
            />
            {config.display_name}
          </span>
        }
        description={
          <span className="flex flex-wrap items-center gap-2">
            <code className="text-xs">{config.slug}</code>
            <HealthBadge status={config.status} />
            {config.enabled ? null : <span>Disabled: offers no tools until enabled.</span>}
          </span>
        }
        actions={
          <Button variant="outline" onClick={() => setDeleteOpen(true)}>
            <Trash2Icon aria-hidden="true" />
            Delete server
          </Button>
        }
      />
      <DeleteMcpServerDialog
        server={config}
        open={deleteOpen}
        onOpenChange={setDeleteOpen}
        onDeleted={() => router.push("/admin/mcp-servers")}
      />
      <Tabs defaultValue={initialTab} className="flex flex-col gap-4">
        <TabsList aria-label="Server sections">
          <TabsTrigger value="settings">Settings</TabsTrigger>
          <TabsTrigger value="tools">
            Tools
            {config.tools_pending_review ? (
              <span className="ml-1 text-xs text-destructive">
                ({config.tools_pending_review} to review)
              </span>
            ) : null}
          </TabsTrigger>
        </TabsList>
        {/* Kept mounted while hidden, so switching tabs never drops unsaved form edits. */}
        <TabsContent
          value="settings"
          forceMount
          className="flex flex-col gap-6 data-[state=inactive]:hidden"
        >
          <McpServerTestPanel serverId={config.id} dirty={dirty} />
          <McpServerForm key={config.id} original={config} onDirtyChange={setDirty} />
        </TabsContent>
        <TabsContent value="tools">
          <McpServerToolsTab config={config} />
        </TabsContent>
      </Tabs>
    </>
  );
}
