"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { BoxIcon, CircleAlertIcon, PlayIcon, RefreshCwIcon, SquareIcon } from "lucide-react";
import { useState, type FormEvent } from "react";
import { toast } from "@/components/ui/toast";
import { ErrorView } from "@/components/error-view";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from "@/components/ui/dialog";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import {
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from "@/components/ui/select";
import { Skeleton } from "@/components/ui/skeleton";
import { ButtonSpinner } from "@/components/ui/spinner";
import { ApiRequestError, errorMessage } from "@/lib/client/api";
import {
  attachWorkspaceMutation,
  createWorkspaceMutation,
  fetchWorkspaceMcp,
  templatesQuery,
  workspaceActionMutation,
  workspaceMcpQuery,
  workspaceQuery,
  workspaceQueryKeys,
  workspacesQuery,
} from "@/lib/client/workspace-queries";
import type { Workspace } from "@/lib/client/workspace-types";
import { toolReasonText } from "@/lib/policy/reasons";
import { STATUS_TEXT, StatusDot } from "./workspace-status";

/** The `.mcp.json` servers of a running workspace, with their state and a refresh action. */
function McpServers({ workspace }: { workspace: Workspace }) {
  const qc = useQueryClient();
  const listing = useQuery({ ...workspaceMcpQuery(workspace.id), staleTime: 0 });
  const refresh = useMutation({
    mutationFn: () => fetchWorkspaceMcp(workspace.id, true),
    onSuccess: (data) => qc.setQueryData(workspaceQueryKeys.mcp(workspace.id), data),
    onError: (err) => toast.error(errorMessage(err)),
  });
  return (
    <section aria-labelledby="workspace-mcp-heading" className="flex flex-col gap-2">
      <div className="flex items-center justify-between gap-2">
        <h3 id="workspace-mcp-heading" className="text-sm font-medium">
          MCP servers from <code>.mcp.json</code>
        </h3>
        <Button
          type="button"
          size="sm"
          variant="outline"
          onClick={() => refresh.mutate()}
          disabled={refresh.isPending}
          aria-busy={refresh.isPending}
        >
          {refresh.isPending ? <ButtonSpinner /> : <RefreshCwIcon aria-hidden="true" />}
          Refresh MCP servers
        </Button>
      </div>
      {listing.isPending ? (
        <Skeleton className="h-10 w-full" aria-label="Loading MCP servers" />
      ) : listing.isError ? (
        <ErrorView message={errorMessage(listing.error)} onRetry={() => void listing.refetch()} />
      ) : (
        <>
          {listing.data.config.status === "missing" ? (
            <p className="text-sm text-muted-foreground">
              No <code>.mcp.json</code> in the workspace. Add one (the format Claude Code uses) to
              give the chat project tools.
            </p>
          ) : null}
          {listing.data.config.status === "error" ? (
            <Alert variant="destructive">
              <CircleAlertIcon aria-hidden="true" />
              <AlertDescription>{listing.data.config.error}</AlertDescription>
            </Alert>
          ) : null}
          {listing.data.config.warnings.length > 0 ? (
            <ul className="list-inside list-disc text-xs text-muted-foreground">
              {listing.data.config.warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          ) : null}
          {listing.data.servers.length > 0 ? (
            <ul
              className="flex flex-col divide-y rounded-md border"
              aria-label="Workspace MCP servers"
            >
              {listing.data.servers.map((server) => (
                <li key={server.name} className="flex flex-col gap-1 px-3 py-2 text-sm">
                  <div className="flex items-center gap-2">
                    <span className="font-medium">{server.name}</span>
                    <span className="text-xs text-muted-foreground">{server.transport}</span>
                    {server.admitted === false ? (
                      <Badge variant="outline" className="ml-auto">
                        Blocked by admin
                      </Badge>
                    ) : null}
                    <Badge
                      variant={server.status === "ok" ? "secondary" : "destructive"}
                      className={server.admitted === false ? undefined : "ml-auto"}
                    >
                      {server.status === "ok" ? "Connected" : "Error"}
                    </Badge>
                  </div>
                  {server.blocked_reason ? (
                    <span className="text-xs break-words text-muted-foreground">
                      {toolReasonText(server.blocked_reason)}: its tools are not offered in chats.
                      {server.launch ? (
                        <>
                          {" "}
                          It runs <code className="break-all">{server.launch}</code>.
                        </>
                      ) : null}
                    </span>
                  ) : null}
                  {server.status === "ok" ? (
                    <span className="text-xs text-muted-foreground">
                      {server.tools_count} tool{server.tools_count === 1 ? "" : "s"}
                    </span>
                  ) : (
                    <span className="text-xs break-words text-destructive">{server.error}</span>
                  )}
                </li>
              ))}
            </ul>
          ) : null}
          <p className="text-xs text-muted-foreground">
            Their tools are offered on normal turns, never in plan mode, and only for servers the
            admin&apos;s workspace-server rule admits.
          </p>
        </>
      )}
    </section>
  );
}

function AttachedWorkspace({ chatId, workspaceId }: { chatId: string; workspaceId: string }) {
  const qc = useQueryClient();
  const workspace = useQuery({
    ...workspaceQuery(workspaceId),
    staleTime: 0,
    refetchInterval: (q) => (q.state.data?.status === "starting" ? 1_000 : false),
  });
  const action = useMutation(workspaceActionMutation(qc));
  const attach = useMutation(attachWorkspaceMutation(qc));

  if (workspace.isPending)
    return <Skeleton className="h-16 w-full" aria-label="Loading workspace" />;
  if (workspace.isError) {
    const gone = workspace.error instanceof ApiRequestError && workspace.error.status === 404;
    return gone ? (
      <p className="text-sm text-muted-foreground">The chat&apos;s workspace no longer exists.</p>
    ) : (
      <ErrorView message={errorMessage(workspace.error)} onRetry={() => void workspace.refetch()} />
    );
  }
  const ws = workspace.data;
  const run = (kind: "start" | "stop") =>
    action.mutate(
      { id: ws.id, action: kind },
      { onError: (err) => toast.error(errorMessage(err)) },
    );
  return (
    <div className="flex flex-col gap-4">
      <section aria-label="Attached workspace" className="flex flex-col gap-2">
        <div className="flex items-center gap-2">
          <StatusDot status={ws.status} />
          <span className="font-medium">{ws.name}</span>
          <span className="text-xs text-muted-foreground">from {ws.template}</span>
          <Badge variant="outline" className="ml-auto" data-testid="workspace-status">
            {STATUS_TEXT[ws.status]}
          </Badge>
        </div>
        {ws.error ? <p className="text-xs text-destructive">{ws.error}</p> : null}
        <div className="flex flex-wrap gap-2">
          {ws.status === "running" || ws.status === "starting" ? (
            <Button
              type="button"
              size="sm"
              variant="outline"
              onClick={() => run("stop")}
              disabled={action.isPending}
              aria-busy={action.isPending}
            >
              {action.isPending ? <ButtonSpinner /> : <SquareIcon aria-hidden="true" />}
              Stop workspace
            </Button>
          ) : (
            <Button
              type="button"
              size="sm"
              onClick={() => run("start")}
              disabled={action.isPending}
              aria-busy={action.isPending}
            >
              {action.isPending ? <ButtonSpinner /> : <PlayIcon aria-hidden="true" />}
              Start workspace
            </Button>
          )}
          <Button
            type="button"
            size="sm"
            variant="ghost"
            onClick={() =>
              attach.mutate(
                { chatId, workspaceId: null },
                { onError: (err) => toast.error(errorMessage(err)) },
              )
            }
            disabled={attach.isPending}
          >
            Detach from this chat
          </Button>
        </div>
      </section>
      {ws.status === "running" ? <McpServers workspace={ws} /> : null}
    </div>
  );
}

function ChooseWorkspace({ chatId, current }: { chatId: string; current: string | null }) {
  const qc = useQueryClient();
  const templates = useQuery(templatesQuery());
  const workspaces = useQuery(workspacesQuery());
  const create = useMutation(createWorkspaceMutation(qc));
  const attach = useMutation(attachWorkspaceMutation(qc));
  const [name, setName] = useState("");
  const [template, setTemplate] = useState("empty");
  const [existing, setExisting] = useState<string>("");
  const others = (workspaces.data ?? []).filter((w) => w.id !== current);

  function attachTo(id: string) {
    attach.mutate(
      { chatId, workspaceId: id },
      { onError: (err) => toast.error(errorMessage(err)) },
    );
  }

  function onCreate(event: FormEvent) {
    event.preventDefault();
    create.mutate(
      { name: name.trim() || `Workspace (${template})`, template },
      {
        onSuccess: (ws) => {
          setName("");
          attachTo(ws.id);
          if (ws.status !== "running") toast.error(ws.error ?? "The workspace did not start.");
        },
      },
    );
  }

  const nameError =
    create.error instanceof ApiRequestError ? create.error.fieldError("name") : undefined;
  return (
    <div className="flex flex-col gap-4">
      <form onSubmit={onCreate} className="flex flex-col gap-3" aria-label="Create a workspace">
        <h3 className="text-sm font-medium">Create a workspace</h3>
        <FormField label="Workspace name" error={nameError}>
          <Input
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="e.g. Billing service"
            maxLength={100}
          />
        </FormField>
        <FormField
          label="Template"
          description={templates.data?.find((t) => t.name === template)?.description}
        >
          <Select value={template} onValueChange={setTemplate}>
            <SelectTrigger className="w-full">
              <SelectValue placeholder="Choose a template" />
            </SelectTrigger>
            <SelectContent>
              {(templates.data ?? [{ name: "empty", description: "" }]).map((t) => (
                <SelectItem key={t.name} value={t.name}>
                  {t.name}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
        </FormField>
        {create.isError && !nameError ? (
          <p role="alert" className="text-sm text-destructive">
            {errorMessage(create.error)}
          </p>
        ) : null}
        <Button
          type="submit"
          disabled={create.isPending || attach.isPending}
          aria-busy={create.isPending}
        >
          {create.isPending ? <ButtonSpinner /> : null}
          Create and start workspace
        </Button>
      </form>
      {others.length > 0 ? (
        <div className="flex flex-col gap-2">
          <h3 className="text-sm font-medium">Or use one of your workspaces</h3>
          <div className="flex gap-2">
            <Select value={existing} onValueChange={setExisting}>
              <SelectTrigger className="min-w-0 flex-1" aria-label="Your workspaces">
                <SelectValue placeholder="Choose a workspace" />
              </SelectTrigger>
              <SelectContent>
                {others.map((w) => (
                  <SelectItem key={w.id} value={w.id}>
                    {w.name} ({STATUS_TEXT[w.status].toLowerCase()})
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
            <Button
              type="button"
              variant="outline"
              disabled={!existing || attach.isPending}
              onClick={() => attachTo(existing)}
            >
              Use workspace
            </Button>
          </div>
        </div>
      ) : null}
    </div>
  );
}

/**
 * The chat's workspace: create one from a template or pick one, start and stop it, and see
 * the MCP servers of its `.mcp.json`. Opened from the conversation header.
 */
export function WorkspaceDialog({
  chatId,
  workspaceId,
}: {
  chatId: string;
  workspaceId: string | null;
}) {
  const [open, setOpen] = useState(false);
  const status = useQuery({
    ...workspaceQuery(workspaceId ?? ""),
    enabled: workspaceId !== null,
  });
  const shown = workspaceId ? status.data?.status : undefined;
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button type="button" variant="ghost" size="sm" className="text-muted-foreground">
          <BoxIcon aria-hidden="true" />
          <span className="sr-only sm:not-sr-only">Workspace</span>
          {workspaceId ? (
            <>
              <StatusDot status={shown} />
              <span className="sr-only">
                {shown ? `(${STATUS_TEXT[shown].toLowerCase()})` : ""}
              </span>
            </>
          ) : null}
        </Button>
      </DialogTrigger>
      <DialogContent className="sm:max-w-lg">
        <DialogHeader>
          <DialogTitle>Workspace</DialogTitle>
          <DialogDescription>
            Files, commands and project MCP servers the model can use in this chat.
          </DialogDescription>
        </DialogHeader>
        <div className="flex max-h-[65vh] flex-col gap-6 overflow-y-auto">
          {workspaceId ? <AttachedWorkspace chatId={chatId} workspaceId={workspaceId} /> : null}
          <ChooseWorkspace chatId={chatId} current={workspaceId} />
        </div>
      </DialogContent>
    </Dialog>
  );
}
