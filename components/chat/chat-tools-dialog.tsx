"use client";

import { useQuery } from "@tanstack/react-query";
import { CheckIcon, EyeOffIcon, WrenchIcon } from "lucide-react";
import { useState } from "react";
import { ErrorView } from "@/components/error-view";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from "@/components/ui/dialog";
import { Skeleton } from "@/components/ui/skeleton";
import { errorMessage } from "@/lib/client/api";
import { chatToolsQuery } from "@/lib/client/chat-queries";
import { mcpServersQuery } from "@/lib/client/mcp-queries";
import type { ChatToolRow } from "@/lib/client/types";
import { REASON_TEXT } from "@/lib/policy/tool-policy";
import { humanizeToolName } from "./tool-label";

const reasonText = (reason: string) => {
  const text = (REASON_TEXT as Record<string, string>)[reason] ?? reason.replace(/[_.]/g, " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
};

/** `<slug>__*` stands for every tool of a server the policy could not list. */
const toolLabel = (name: string) => (name.endsWith("__*") ? "All tools" : humanizeToolName(name));

function ToolRows({ rows }: { rows: ChatToolRow[] }) {
  const servers = useQuery(mcpServersQuery());
  // Groups: one per admin server, one for the workspace's own servers, one for built-ins.
  const WORKSPACE = "workspace";
  const serverName = (id?: string) =>
    id === WORKSPACE
      ? "Workspace MCP servers"
      : (id && servers.data?.find((s) => s.id === id)?.display_name) ||
        (id ? "MCP server" : "Built-in");
  const groups = new Map<string, ChatToolRow[]>();
  for (const row of rows) {
    const key = row.source === "workspace_mcp" ? WORKSPACE : (row.server_id ?? "");
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  const ordered = [...groups.entries()].sort(
    ([a, ra], [b, rb]) =>
      Number(rb.some((r) => r.available)) - Number(ra.some((r) => r.available)) ||
      serverName(a).localeCompare(serverName(b)),
  );
  return (
    <div className="flex max-h-[60vh] flex-col gap-4 overflow-y-auto">
      {ordered.map(([id, list]) => {
        const available = list.filter((r) => r.available).length;
        return (
          <section
            key={id}
            aria-label={serverName(id || undefined)}
            className="flex flex-col gap-1"
          >
            <h3 className="flex items-baseline justify-between text-sm font-medium">
              {serverName(id || undefined)}
              <span className="text-xs font-normal text-muted-foreground">
                {available} of {list.length} available
              </span>
            </h3>
            <ul className="flex flex-col divide-y rounded-md border">
              {[...list]
                .sort(
                  (a, b) =>
                    Number(b.available) - Number(a.available) || a.name.localeCompare(b.name),
                )
                .map((row) => (
                  <li key={row.name} className="flex items-start gap-3 px-3 py-2 text-sm">
                    {row.available ? (
                      <CheckIcon aria-hidden="true" className="mt-0.5 size-4 text-emerald-600" />
                    ) : (
                      <EyeOffIcon
                        aria-hidden="true"
                        className="mt-0.5 size-4 text-muted-foreground"
                      />
                    )}
                    <div className="flex min-w-0 flex-col">
                      <span className="font-medium">{toolLabel(row.name)}</span>
                      <code className="truncate text-xs text-muted-foreground">{row.name}</code>
                      <span className={row.available ? "sr-only" : "text-xs text-muted-foreground"}>
                        {row.available ? "Available" : `Hidden: ${reasonText(row.reason)}`}
                      </span>
                    </div>
                  </li>
                ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}

/** Which tools the next turn offers the model, and why the others are hidden. */
export function ChatToolsDialog({
  chatId,
  planMode,
  selectionPending,
}: {
  chatId: string;
  planMode: boolean;
  /** The picker changed but the change is only saved with the next message. */
  selectionPending: boolean;
}) {
  const [open, setOpen] = useState(false);
  const tools = useQuery({ ...chatToolsQuery(chatId, planMode), enabled: open, staleTime: 0 });
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button type="button" variant="ghost" size="sm" className="text-muted-foreground">
          <WrenchIcon aria-hidden="true" />
          <span className="sr-only sm:not-sr-only">Tools</span>
        </Button>
      </DialogTrigger>
      <DialogContent className="sm:max-w-xl">
        <DialogHeader>
          <DialogTitle>Tools in this chat</DialogTitle>
          <DialogDescription>
            What the model is offered on the next {planMode ? "plan-mode " : ""}turn.
            {selectionPending ? " Your server changes apply when you send the next message." : null}
          </DialogDescription>
        </DialogHeader>
        {tools.isPending ? (
          <div className="flex flex-col gap-2" aria-busy="true" aria-label="Loading tools">
            <Skeleton className="h-10 w-full" />
            <Skeleton className="h-10 w-full" />
          </div>
        ) : tools.isError ? (
          <ErrorView message={errorMessage(tools.error)} onRetry={() => void tools.refetch()} />
        ) : tools.data.length === 0 ? (
          <p className="text-sm text-muted-foreground">
            No tools: pick an MCP server in the composer to give the model tools.
          </p>
        ) : (
          <ToolRows rows={tools.data} />
        )}
      </DialogContent>
    </Dialog>
  );
}
