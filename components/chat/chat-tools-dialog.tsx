"use client";

import { useQuery } from "@tanstack/react-query";
import { CheckIcon, ChevronRightIcon, EyeOffIcon, SearchIcon, WrenchIcon } from "lucide-react";
import { useId, useState } from "react";
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
import { Input } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/skeleton";
import { errorMessage } from "@/lib/client/api";
import { chatToolsQuery } from "@/lib/client/chat-queries";
import { mcpServersQuery } from "@/lib/client/mcp-queries";
import type { ChatToolRow } from "@/lib/client/types";
import { toolReasonText } from "@/lib/policy/reasons";
import {
  builtinDescription,
  matchTools,
  toolDisplayName,
  toolSections,
  WORKSPACE_SERVERS,
} from "./tools-explainer";

const reasonText = (reason: string) => {
  const text = toolReasonText(reason);
  return text.charAt(0).toUpperCase() + text.slice(1);
};

function ToolRow({ row }: { row: ChatToolRow }) {
  const { label, shortened } = toolDisplayName(row.name);
  const description = row.source === "builtin" ? builtinDescription(row.name) : "";
  return (
    <li className="flex items-start gap-3 px-3 py-2 text-sm">
      {row.available ? (
        <CheckIcon aria-hidden="true" className="mt-0.5 size-4 shrink-0 text-emerald-600" />
      ) : (
        <EyeOffIcon aria-hidden="true" className="mt-0.5 size-4 shrink-0 text-muted-foreground" />
      )}
      <div className="flex min-w-0 flex-col">
        <span className="font-medium break-words">{label}</span>
        {description ? <span className="text-xs text-muted-foreground">{description}</span> : null}
        {/* The name the model sees, whole: long names wrap rather than being cut. */}
        <code className="text-xs break-all text-muted-foreground" title={row.name}>
          {row.name}
        </code>
        {shortened ? (
          <span className="text-xs text-muted-foreground">
            The name was shortened for the model, which accepts at most 64 characters.
          </span>
        ) : null}
        {row.available && row.reason !== "allowed" ? (
          // Offered with a condition (e.g. rule "approval": each call needs a person first).
          <span className="text-xs text-amber-700 dark:text-amber-400">
            {`Available: ${reasonText(row.reason)}`}
          </span>
        ) : (
          <span className={row.available ? "sr-only" : "text-xs text-muted-foreground"}>
            {row.available ? "Available" : `Hidden: ${reasonText(row.reason)}`}
          </span>
        )}
      </div>
    </li>
  );
}

function Section({
  title,
  rows,
  note,
  headingLevel = "h3",
}: {
  title: string;
  rows: ChatToolRow[];
  note?: string;
  headingLevel?: "h3" | "h4";
}) {
  const Heading = headingLevel;
  const available = rows.filter((r) => r.available).length;
  return (
    <section aria-label={title} className="flex flex-col gap-1">
      <Heading className="flex items-baseline justify-between gap-2 text-sm font-medium">
        <span className="min-w-0 break-words">{title}</span>
        <span className="shrink-0 text-xs font-normal text-muted-foreground">
          {available} of {rows.length} available
        </span>
      </Heading>
      {note ? <p className="text-xs text-amber-700 dark:text-amber-400">{note}</p> : null}
      <ul className="flex flex-col divide-y rounded-md border">
        {rows.map((row) => (
          <ToolRow key={row.name} row={row} />
        ))}
      </ul>
    </section>
  );
}

function ToolRows({ rows, hasWorkspace }: { rows: ChatToolRow[]; hasWorkspace: boolean }) {
  const servers = useQuery(mcpServersQuery());
  const searchId = useId();
  const [query, setQuery] = useState("");
  const [builtinsOpen, setBuiltinsOpen] = useState(false);
  const serverName = (id: string) =>
    id === WORKSPACE_SERVERS
      ? "Workspace MCP servers"
      : servers.data?.find((s) => s.id === id)?.display_name || "MCP server";
  const searching = query.trim() !== "";
  const sections = toolSections(matchTools(rows, query), serverName);
  const builtinCount = sections.builtins.reduce((n, g) => n + g.rows.length, 0);
  const builtinAvailable = sections.builtins.reduce(
    (n, g) => n + g.rows.filter((r) => r.available).length,
    0,
  );
  // A search shows every match: collapsed groups would hide them.
  const showBuiltins = builtinsOpen || searching;
  return (
    <div className="flex min-h-0 flex-col gap-3">
      <div role="search" className="relative">
        <label htmlFor={searchId} className="sr-only">
          Search tools
        </label>
        <SearchIcon
          aria-hidden="true"
          className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-muted-foreground"
        />
        <Input
          id={searchId}
          type="search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          placeholder="Search tools"
          autoComplete="off"
          className="h-8 pl-8"
        />
      </div>
      <div className="flex max-h-[55vh] flex-col gap-4 overflow-y-auto pr-1">
        {sections.servers.length === 0 && builtinCount === 0 ? (
          <p role="status" className="py-4 text-center text-sm text-muted-foreground">
            No tools match “{query.trim()}”.
          </p>
        ) : null}
        {sections.servers.length === 0 && !searching ? (
          <p className="text-sm text-muted-foreground">
            No MCP server tools: pick a server in the composer to give the model more tools.
          </p>
        ) : null}
        {sections.servers.map((s) => (
          <Section key={s.id} title={serverName(s.id)} rows={s.rows} />
        ))}
        {builtinCount > 0 ? (
          <section aria-label="Built-in tools" className="flex flex-col gap-2">
            <h3>
              <Button
                type="button"
                variant="ghost"
                size="sm"
                className="-ml-2 h-auto w-[calc(100%+0.5rem)] justify-between gap-2 px-2 py-1.5"
                aria-expanded={showBuiltins}
                disabled={searching}
                onClick={() => setBuiltinsOpen((o) => !o)}
              >
                <span className="flex items-center gap-1.5 text-sm font-medium">
                  <ChevronRightIcon
                    aria-hidden="true"
                    className={
                      showBuiltins ? "rotate-90 transition-transform" : "transition-transform"
                    }
                  />
                  Built-in tools
                </span>
                <span className="text-xs font-normal text-muted-foreground">
                  {builtinAvailable} of {builtinCount} available
                </span>
              </Button>
            </h3>
            {showBuiltins
              ? sections.builtins.map((g) => (
                  <Section
                    key={g.id}
                    title={g.title}
                    rows={g.rows}
                    headingLevel="h4"
                    note={
                      g.id === "workspace" && !hasWorkspace
                        ? "This chat has no workspace: these tools only work once one is attached (the model can create one)."
                        : undefined
                    }
                  />
                ))
              : null}
          </section>
        ) : null}
      </div>
    </div>
  );
}

/** Which tools the next turn offers the model, and why the others are hidden. */
export function ChatToolsDialog({
  chatId,
  planMode,
  selectionPending,
  hasWorkspace,
}: {
  chatId: string;
  planMode: boolean;
  /** The picker changed but the change is only saved with the next message. */
  selectionPending: boolean;
  hasWorkspace: boolean;
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
          <div
            role="status"
            className="flex flex-col gap-2"
            aria-busy="true"
            aria-label="Loading tools"
          >
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
          <ToolRows rows={tools.data} hasWorkspace={hasWorkspace} />
        )}
      </DialogContent>
    </Dialog>
  );
}
