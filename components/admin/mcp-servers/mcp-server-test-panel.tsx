"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { CheckCircle2Icon, InfoIcon, PlugZapIcon, XCircleIcon } from "lucide-react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import {
  Card,
  CardAction,
  CardContent,
  CardDescription,
  CardHeader,
  CardTitle,
} from "@/components/ui/card";
import { ButtonSpinner, Spinner } from "@/components/ui/spinner";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { errorMessage } from "@/lib/client/api";
import { mcpQueryKeys, testMcpServerMutation } from "@/lib/client/mcp-queries";
import type { McpTestResult, McpToolPreview } from "@/lib/client/types";
import { describeTestError, policyReasonLabel } from "./mcp-server-labels";

export function McpServerTestPanel({ serverId, dirty }: { serverId: string; dirty: boolean }) {
  const qc = useQueryClient();
  const test = useMutation(testMcpServerMutation());
  const run = () =>
    test.mutate(serverId, {
      // The test records the server's health: refresh the badges.
      onSettled: () => void qc.invalidateQueries({ queryKey: mcpQueryKeys.all }),
    });

  return (
    <Card>
      <CardHeader>
        <CardTitle asChild>
          <h2>Test connection</h2>
        </CardTitle>
        <CardDescription>
          Connects to the saved configuration with your credentials and lists the tools the model
          would see.
        </CardDescription>
        <CardAction>
          <Button
            type="button"
            variant="outline"
            onClick={run}
            disabled={test.isPending}
            aria-busy={test.isPending}
          >
            {test.isPending ? <ButtonSpinner /> : <PlugZapIcon aria-hidden="true" />}
            Test connection
          </Button>
        </CardAction>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        {dirty ? (
          <Alert role="status">
            <InfoIcon aria-hidden="true" />
            <AlertDescription>
              You have unsaved changes. The test uses the saved configuration: save first to test
              them.
            </AlertDescription>
          </Alert>
        ) : null}
        {test.isPending ? (
          <div className="flex items-center gap-2 text-sm text-muted-foreground">
            <Spinner label="Testing connection" />
            Connecting and listing tools… this can take up to 10 seconds.
          </div>
        ) : test.isError ? (
          <Alert variant="destructive">
            <XCircleIcon aria-hidden="true" />
            <AlertTitle>Test failed</AlertTitle>
            <AlertDescription>{errorMessage(test.error)}</AlertDescription>
          </Alert>
        ) : test.data ? (
          <TestResult result={test.data} />
        ) : null}
      </CardContent>
    </Card>
  );
}

function TestResult({ result }: { result: McpTestResult }) {
  if (!result.ok) {
    const error = result.error ?? { code: "unknown", message: "The test failed." };
    const { title, hint } = describeTestError(error.code);
    return (
      <Alert variant="destructive">
        <XCircleIcon aria-hidden="true" />
        <AlertTitle>{title}</AlertTitle>
        <AlertDescription>
          <p>{error.message}</p>
          <p>{hint}</p>
          <p>
            <code className="text-xs">{error.code}</code>
          </p>
        </AlertDescription>
      </Alert>
    );
  }
  const count = result.tools.length;
  return (
    <div className="flex flex-col gap-3">
      <p role="status" className="flex items-center gap-2 text-sm">
        <CheckCircle2Icon aria-hidden="true" className="size-4 text-emerald-600" />
        Connected in {Math.round(result.latency_ms)} ms · {count} {count === 1 ? "tool" : "tools"}
      </p>
      {count > 0 ? (
        <div className="rounded-lg border">
          <Table aria-label="Tools">
            <TableHeader>
              <TableRow>
                <TableHead>Tool</TableHead>
                <TableHead>Description</TableHead>
                <TableHead>Hints</TableHead>
                <TableHead>In chats</TableHead>
                <TableHead>In plan mode</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {result.tools.map((tool) => (
                <ToolRow key={tool.exposed_name} tool={tool} />
              ))}
            </TableBody>
          </Table>
        </div>
      ) : null}
    </div>
  );
}

function PolicyCell({ allowed, reason }: { allowed: boolean; reason?: string }) {
  return (
    <div className="flex flex-col items-start gap-1">
      <Badge variant={allowed ? "secondary" : "outline"}>{allowed ? "Allowed" : "Blocked"}</Badge>
      {!allowed && reason ? (
        <span className="text-xs text-muted-foreground">{policyReasonLabel(reason)}</span>
      ) : null}
    </div>
  );
}

function ToolRow({ tool }: { tool: McpToolPreview }) {
  const { readOnlyHint, destructiveHint } = tool.annotations ?? {};
  // `reason` explains `allowed`, or plan mode when only plan mode refuses the tool.
  const planReason = tool.allowed ? tool.reason : "";
  return (
    <TableRow>
      <TableCell className="align-top">
        <div className="flex flex-col gap-0.5">
          <code className="text-xs font-medium">{tool.exposed_name}</code>
          {tool.exposed_name !== tool.name ? (
            <span className="text-xs text-muted-foreground">
              on the server: <code>{tool.name}</code>
            </span>
          ) : null}
        </div>
      </TableCell>
      <TableCell className="max-w-96 align-top text-sm whitespace-normal text-muted-foreground">
        {tool.annotations?.title ? (
          <span className="block font-medium text-foreground">{tool.annotations.title}</span>
        ) : null}
        {tool.description || "No description"}
      </TableCell>
      <TableCell className="align-top">
        <div className="flex flex-wrap gap-1">
          {readOnlyHint ? <Badge variant="secondary">Read-only</Badge> : null}
          {destructiveHint ? <Badge variant="destructive">Destructive</Badge> : null}
        </div>
      </TableCell>
      <TableCell className="align-top">
        <PolicyCell allowed={tool.allowed} reason={tool.reason} />
      </TableCell>
      <TableCell className="align-top">
        <PolicyCell allowed={tool.plan_mode_allowed} reason={planReason} />
      </TableCell>
    </TableRow>
  );
}
