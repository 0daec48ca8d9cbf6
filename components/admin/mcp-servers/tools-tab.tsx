"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { RefreshCwIcon, TriangleAlertIcon, WrenchIcon } from "lucide-react";
import { useState } from "react";
import { toast } from "@/components/ui/toast";
import { ErrorView } from "@/components/error-view";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { EmptyState } from "@/components/ui/empty-state";
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
  refreshServerToolsMutation,
  reviewServerToolsMutation,
  serverToolsQuery,
  updateServerToolMutation,
  type McpServerTool,
  type ToolRuleValue,
} from "@/lib/client/mcp-tool-queries";
import type { McpServerConfig } from "@/lib/client/types";
import { ToolDiffDialog } from "./tool-diff-dialog";
import {
  BULK_LABEL,
  bulkReview,
  filterTools,
  onlyReadOnlyInPlan,
  planModeWriters,
  type BulkAction,
} from "./tools-tab-logic";

const RULE_TEXT: Record<ToolRuleValue, string> = {
  enabled: "Enabled",
  approval: "Ask a person first",
  disabled: "Disabled",
};

const HINTS: Array<[keyof NonNullable<McpServerTool["annotations"]>, string]> = [
  ["readOnlyHint", "read-only"],
  ["destructiveHint", "destructive"],
  ["idempotentHint", "idempotent"],
  ["openWorldHint", "open-world"],
];

function Hints({ tool }: { tool: McpServerTool }) {
  const said = HINTS.filter(([key]) => tool.annotations?.[key] === true);
  if (said.length === 0) return <span className="text-xs text-muted-foreground">none</span>;
  return (
    <ul className="flex flex-wrap gap-1" aria-label={`Hints the server gives about ${tool.name}`}>
      {said.map(([key, label]) => (
        <li key={key}>
          <Badge variant="outline" className="font-normal">
            {label}
          </Badge>
        </li>
      ))}
    </ul>
  );
}

function StatusBadges({ tool }: { tool: McpServerTool }) {
  return (
    <span className="flex flex-wrap gap-1">
      {tool.status === "changed" ? <Badge variant="destructive">changed</Badge> : null}
      {tool.status === "removed" ? <Badge variant="secondary">removed</Badge> : null}
      {tool.new && tool.status !== "removed" ? <Badge>new</Badge> : null}
    </span>
  );
}

/** A server's tool catalogue: per-tool rule and plan mode, review of changed definitions. */
export function McpServerToolsTab({ config }: { config: McpServerConfig }) {
  const qc = useQueryClient();
  const tools = useQuery(serverToolsQuery(config.id));
  const refresh = useMutation(refreshServerToolsMutation(qc, config.id));
  const update = useMutation(updateServerToolMutation(qc, config.id));
  const review = useMutation(reviewServerToolsMutation(qc, config.id));
  const [search, setSearch] = useState("");
  const [reviewing, setReviewing] = useState<string | null>(null);

  const onError = (err: unknown) => toast.error(errorMessage(err));
  const patch = (name: string, body: Parameters<typeof update.mutate>[0]["patch"]) =>
    update.mutate({ name, patch: body }, { onError });
  const runBulk = (action: BulkAction) => {
    const request = bulkReview(tools.data ?? [], action);
    if (!request) {
      toast.info(`${BULK_LABEL[action]}: nothing to change`);
      return;
    }
    review.mutate(request, {
      onError,
      onSuccess: () => toast.success(`${BULK_LABEL[action]}: ${request.approve.length} tool(s)`),
    });
  };

  const refreshButton = (
    <Button
      type="button"
      variant="outline"
      size="sm"
      onClick={() => refresh.mutate(undefined, { onError })}
      disabled={refresh.isPending}
      aria-busy={refresh.isPending || undefined}
    >
      {refresh.isPending ? <ButtonSpinner /> : <RefreshCwIcon aria-hidden="true" />}
      List the server now
    </Button>
  );

  if (tools.isPending) {
    return <Skeleton className="h-64 w-full" aria-busy="true" aria-label="Loading tools" />;
  }
  if (tools.isError) {
    return <ErrorView message={errorMessage(tools.error)} onRetry={() => void tools.refetch()} />;
  }
  const all = tools.data;
  if (all.length === 0) {
    return (
      <EmptyState
        titleAs="h3"
        icon={<WrenchIcon />}
        title="No tools recorded yet"
        description="Every tool the server lists is recorded here the first time toolgate sees it. List the server now to fill the catalogue."
        action={refreshButton}
      />
    );
  }
  const shown = filterTools(all, search);
  const pending = all.filter((t) => t.status === "changed").length;
  const writers = config.allow_in_plan_mode ? planModeWriters(all) : [];
  const narrowing = onlyReadOnlyInPlan(all);
  const current = all.find((t) => t.name === reviewing) ?? null;

  return (
    <div className="flex flex-col gap-4">
      {pending > 0 ? (
        <Alert>
          <TriangleAlertIcon aria-hidden="true" />
          <AlertTitle>
            {pending} tool{pending === 1 ? "" : "s"} changed by the server
          </AlertTitle>
          <AlertDescription>
            Held until you review the new definition: neither offered to the model nor callable.
          </AlertDescription>
        </Alert>
      ) : null}
      {writers.length > 0 ? (
        <Alert>
          <TriangleAlertIcon aria-hidden="true" />
          <AlertTitle>Plan mode includes tools that do not say they are read-only</AlertTitle>
          <AlertDescription className="flex flex-col gap-2">
            <span>{writers.map((t) => t.name).join(", ")}</span>
            {narrowing ? (
              <Button
                type="button"
                size="sm"
                variant="outline"
                className="w-fit"
                onClick={() =>
                  review.mutate(narrowing, {
                    onError,
                    onSuccess: () => toast.success("Plan mode now has only read-only tools"),
                  })
                }
              >
                Only read-only tools in plan mode
              </Button>
            ) : null}
          </AlertDescription>
        </Alert>
      ) : null}
      <div className="flex flex-wrap items-center gap-2">
        <Input
          type="search"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          placeholder="Search tools"
          aria-label="Search tools"
          className="w-full sm:w-64"
        />
        {(Object.keys(BULK_LABEL) as BulkAction[]).map((action) => (
          <Button
            key={action}
            type="button"
            variant="outline"
            size="sm"
            disabled={review.isPending}
            onClick={() => runBulk(action)}
          >
            {BULK_LABEL[action]}
          </Button>
        ))}
        <span className="ml-auto">{refreshButton}</span>
      </div>
      <p className="text-xs text-muted-foreground">
        Hints are what the server says about its own tools, not facts toolgate checked. New tools
        get the rule &quot;{RULE_TEXT[config.tool_default]}&quot;
        {config.pin_tool_definitions
          ? "; a changed definition is held until reviewed."
          : "; changed definitions are accepted at once (pinning is off)."}
      </p>
      <Table aria-label="Tools">
        <TableHeader>
          <TableRow>
            <TableHead>Tool</TableHead>
            <TableHead>Server&apos;s hints</TableHead>
            <TableHead>Rule</TableHead>
            <TableHead>Plan mode</TableHead>
            <TableHead>
              <span className="sr-only">Actions</span>
            </TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {shown.map((tool) => (
            <TableRow key={tool.name} aria-label={tool.name}>
              <TableCell className="max-w-md align-top whitespace-normal">
                <div className="flex flex-wrap items-center gap-2">
                  <code className="text-sm font-medium">{tool.name}</code>
                  <StatusBadges tool={tool} />
                </div>
                <p className="line-clamp-2 text-xs text-muted-foreground">
                  {tool.description || "No description"}
                </p>
              </TableCell>
              <TableCell className="align-top">
                <Hints tool={tool} />
              </TableCell>
              <TableCell className="align-top">
                <Select
                  value={tool.rule}
                  disabled={tool.status === "removed"}
                  onValueChange={(value) => patch(tool.name, { rule: value as ToolRuleValue })}
                >
                  <SelectTrigger size="sm" aria-label={`Rule for ${tool.name}`} className="w-44">
                    <SelectValue />
                  </SelectTrigger>
                  <SelectContent>
                    {(Object.keys(RULE_TEXT) as ToolRuleValue[]).map((rule) => (
                      <SelectItem key={rule} value={rule}>
                        {RULE_TEXT[rule]}
                      </SelectItem>
                    ))}
                  </SelectContent>
                </Select>
              </TableCell>
              <TableCell className="align-top">
                <Checkbox
                  checked={tool.plan_mode}
                  disabled={tool.status === "removed"}
                  aria-label={`Allow ${tool.name} in plan mode`}
                  onCheckedChange={(checked) => patch(tool.name, { plan_mode: checked === true })}
                />
              </TableCell>
              <TableCell className="align-top">
                {tool.status === "changed" ? (
                  <Button type="button" size="sm" onClick={() => setReviewing(tool.name)}>
                    Review change
                  </Button>
                ) : tool.new && tool.status === "active" ? (
                  <Button
                    type="button"
                    size="sm"
                    variant="ghost"
                    onClick={() => patch(tool.name, { approve_hash: tool.definition_hash })}
                  >
                    Mark reviewed
                  </Button>
                ) : null}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {shown.length === 0 ? (
        <p className="text-sm text-muted-foreground">No tool matches “{search}”.</p>
      ) : null}
      <ToolDiffDialog
        serverId={config.id}
        tool={current}
        onOpenChange={(open) => (open ? undefined : setReviewing(null))}
      />
    </div>
  );
}
