"use client";

import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { DownloadIcon, ScrollTextIcon } from "lucide-react";
import { useId, useState, type FormEvent, type ReactNode } from "react";
import { DateTime } from "@/components/date-time";
import { formatDateTime } from "@/components/format";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/input";
import { PageHeader } from "@/components/ui/page-header";
import {
  Sheet,
  SheetContent,
  SheetDescription,
  SheetHeader,
  SheetTitle,
} from "@/components/ui/sheet";
import { Skeleton } from "@/components/ui/skeleton";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { errorMessage } from "@/lib/client/api";
import {
  auditExportUrl,
  toolAuditQuery,
  type ToolAuditFilters,
  type ToolAuditItem,
} from "@/lib/client/audit-queries";
import { mcpServersQuery } from "@/lib/client/mcp-queries";
import { usersQuery } from "@/lib/client/queries";

const DECISIONS = ["allowed", "denied", "approved", "declined", "expired"] as const;
const OUTCOMES = ["ok", "error", "timeout", "not_run"] as const;
const selectClass = "h-9 rounded-md border bg-transparent px-2 text-sm";

function Field({ label, children }: { label: string; children: (id: string) => ReactNode }) {
  const id = useId();
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-xs font-medium">
        {label}
      </label>
      {children(id)}
    </div>
  );
}

function Filters({ onApply }: { onApply: (filters: ToolAuditFilters) => void }) {
  const users = useQuery(usersQuery());
  const servers = useQuery(mcpServersQuery());
  const [draft, setDraft] = useState<ToolAuditFilters>({});
  const set = (key: keyof ToolAuditFilters) => (value: string) =>
    setDraft((old) => ({ ...old, [key]: value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onApply(draft);
  };
  return (
    <form
      onSubmit={submit}
      aria-label="Filter tool calls"
      className="grid grid-cols-2 items-end gap-3 md:grid-cols-4 lg:grid-cols-8"
    >
      <Field label="User">
        {(id) => (
          <select id={id} className={selectClass} onChange={(e) => set("user_id")(e.target.value)}>
            <option value="">Everyone</option>
            {(users.data ?? []).map((u) => (
              <option key={u.id} value={u.id}>
                {u.email}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Server">
        {(id) => (
          <select
            id={id}
            className={selectClass}
            onChange={(e) => set("server_id")(e.target.value)}
          >
            <option value="">Any</option>
            {(servers.data ?? []).map((s) => (
              <option key={s.id} value={s.id}>
                {s.display_name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Tool">
        {(id) => <Input id={id} placeholder="echo" onChange={(e) => set("tool")(e.target.value)} />}
      </Field>
      <Field label="Decision">
        {(id) => (
          <select id={id} className={selectClass} onChange={(e) => set("decision")(e.target.value)}>
            <option value="">Any</option>
            {DECISIONS.map((d) => (
              <option key={d}>{d}</option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Outcome">
        {(id) => (
          <select id={id} className={selectClass} onChange={(e) => set("outcome")(e.target.value)}>
            <option value="">Any</option>
            {OUTCOMES.map((o) => (
              <option key={o}>{o}</option>
            ))}
          </select>
        )}
      </Field>
      <Field label="From">
        {(id) => (
          <Input id={id} type="datetime-local" onChange={(e) => set("from")(e.target.value)} />
        )}
      </Field>
      <Field label="To">
        {(id) => (
          <Input id={id} type="datetime-local" onChange={(e) => set("to")(e.target.value)} />
        )}
      </Field>
      <Button type="submit">Apply filters</Button>
    </form>
  );
}

function Detail({ item, onClose }: { item: ToolAuditItem | null; onClose: () => void }) {
  const rows: [string, ReactNode][] = item
    ? [
        ["When", formatDateTime(item.at)],
        ["User", item.user.email],
        ["Tool", <code key="t">{item.tool}</code>],
        ["Source", item.source],
        ["Server", item.server_slug ?? "—"],
        ["Decision", item.decision],
        ["Decided by", item.decided_by ?? "—"],
        ["Reason", item.reason ?? "—"],
        ["Outcome", item.outcome],
        ["Error code", item.error_code ?? "—"],
        ["Duration", item.duration_ms === undefined ? "—" : `${item.duration_ms} ms`],
        ["Model intent", item.model_intent ?? "—"],
        ["Agent", `${item.agent}${item.plan_mode ? " (plan mode)" : ""}`],
        [
          "Arguments SHA-256",
          <code key="h" className="break-all">
            {item.input_sha256}
          </code>,
        ],
        [
          "Definition hash",
          <code key="d" className="break-all">
            {item.definition_hash ?? "—"}
          </code>,
        ],
        ["Chat", <code key="c">{item.chat_id}</code>],
        ["Turn", <code key="u">{item.turn_id}</code>],
        ["Call id", <code key="i">{item.tool_call_id}</code>],
      ]
    : [];
  return (
    <Sheet open={item !== null} onOpenChange={(open) => (open ? undefined : onClose())}>
      <SheetContent className="overflow-y-auto">
        <SheetHeader>
          <SheetTitle>Tool call</SheetTitle>
          <SheetDescription>
            Arguments and results are never stored; only the hash of the arguments.
          </SheetDescription>
        </SheetHeader>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 px-4 pb-4 text-sm">
          {rows.map(([label, value]) => (
            <div key={label} className="contents">
              <dt className="text-muted-foreground">{label}</dt>
              <dd className="min-w-0 break-words">{value}</dd>
            </div>
          ))}
        </dl>
      </SheetContent>
    </Sheet>
  );
}

export function ToolAuditAdmin() {
  const [filters, setFilters] = useState<ToolAuditFilters>({});
  const [open, setOpen] = useState<ToolAuditItem | null>(null);
  const calls = useInfiniteQuery(toolAuditQuery(filters));
  const items = calls.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-6">
      <PageHeader
        title="Audit"
        description="Every tool call the model made: who, which tool, what was decided and what became of it. Arguments and results are never stored."
      />
      <Filters onApply={setFilters} />
      <div className="flex flex-wrap gap-2">
        <Button asChild variant="outline" size="sm">
          <a href={auditExportUrl(filters, "csv")} download>
            <DownloadIcon aria-hidden="true" />
            Download CSV
          </a>
        </Button>
        <Button asChild variant="outline" size="sm">
          <a href={auditExportUrl(filters, "jsonl")} download>
            <DownloadIcon aria-hidden="true" />
            Download JSONL
          </a>
        </Button>
      </div>
      {calls.isPending ? (
        <div role="status" aria-label="Loading tool calls" className="flex flex-col gap-2">
          {[0, 1, 2].map((i) => (
            <Skeleton key={i} className="h-10 w-full" />
          ))}
        </div>
      ) : calls.isError ? (
        <p role="alert" className="text-sm text-destructive">
          {errorMessage(calls.error)}
        </p>
      ) : items.length === 0 ? (
        <EmptyState
          icon={<ScrollTextIcon />}
          title="No tool calls"
          description="Tool calls appear here as soon as a model makes one. Try wider filters."
        />
      ) : (
        <div className="rounded-lg border">
          <Table aria-label="Tool calls">
            <TableHeader>
              <TableRow>
                <TableHead>When</TableHead>
                <TableHead>User</TableHead>
                <TableHead>Tool</TableHead>
                <TableHead>Decision</TableHead>
                <TableHead>Outcome</TableHead>
                <TableHead>Duration</TableHead>
                <TableHead className="text-right">
                  <span className="sr-only">Details</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {items.map((item) => (
                <TableRow key={item.id}>
                  <TableCell className="whitespace-nowrap">
                    <DateTime value={item.at} />
                  </TableCell>
                  <TableCell>{item.user.email}</TableCell>
                  <TableCell>
                    <code className="text-xs">
                      {item.server_slug ? `${item.server_slug} / ` : ""}
                      {item.tool}
                    </code>
                  </TableCell>
                  <TableCell>
                    <Badge variant="outline">{item.decision}</Badge>
                  </TableCell>
                  <TableCell>{item.outcome}</TableCell>
                  <TableCell>
                    {item.duration_ms === undefined ? "—" : `${item.duration_ms} ms`}
                  </TableCell>
                  <TableCell className="text-right">
                    <Button
                      type="button"
                      size="sm"
                      variant="ghost"
                      aria-label={`Details of the ${item.tool} call at ${formatDateTime(item.at)}`}
                      onClick={() => setOpen(item)}
                    >
                      Details
                    </Button>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
      {calls.hasNextPage ? (
        <Button
          type="button"
          variant="outline"
          className="self-center"
          disabled={calls.isFetchingNextPage}
          onClick={() => void calls.fetchNextPage()}
        >
          {calls.isFetchingNextPage ? "Loading…" : "Load more"}
        </Button>
      ) : null}
      <Detail item={open} onClose={() => setOpen(null)} />
    </div>
  );
}
