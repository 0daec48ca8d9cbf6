"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { toast } from "@/components/ui/toast";
import { ErrorView } from "@/components/error-view";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { FormField } from "@/components/ui/form-field";
import {
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from "@/components/ui/select";
import { Skeleton } from "@/components/ui/skeleton";
import { ButtonSpinner } from "@/components/ui/spinner";
import { Textarea } from "@/components/ui/textarea";
import { ApiRequestError, errorMessage } from "@/lib/client/api";
import {
  updateWorkspaceMcpSettingsMutation,
  workspaceMcpSettingsQuery,
} from "@/lib/client/settings-queries";
import {
  workspaceMcpSettingsBody,
  type WorkspaceMcpSettings,
} from "@/lib/schemas/workspace-mcp-settings";

const MODE_TEXT: Record<WorkspaceMcpSettings["mode"], string> = {
  on: "On: every server a workspace's .mcp.json names",
  allowlist: "Allowlist: only the commands and URLs below",
  off: "Off: no workspace MCP tools in chats",
};

const lines = (text: string) =>
  text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);

function WorkspaceMcpForm({ saved }: { saved: WorkspaceMcpSettings }) {
  const qc = useQueryClient();
  const update = useMutation(updateWorkspaceMcpSettingsMutation(qc));
  const modeId = useId();
  const [mode, setMode] = useState(saved.mode);
  const [commands, setCommands] = useState(saved.allowed_commands.join("\n"));
  const [urls, setUrls] = useState(saved.allowed_url_prefixes.join("\n"));
  const [errors, setErrors] = useState<{ commands?: string; urls?: string }>({});

  const serverError = (field: string) =>
    update.error instanceof ApiRequestError ? update.error.fieldError(field) : undefined;

  function reset() {
    setMode(saved.mode);
    setCommands(saved.allowed_commands.join("\n"));
    setUrls(saved.allowed_url_prefixes.join("\n"));
    setErrors({});
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const parsed = workspaceMcpSettingsBody.safeParse({
      mode,
      allowed_commands: lines(commands),
      allowed_url_prefixes: lines(urls),
    });
    if (!parsed.success) {
      const issue = (field: string) => {
        const found = parsed.error.issues.find((i) => i.path[0] === field);
        if (!found) return undefined;
        const line = typeof found.path[1] === "number" ? `Line ${found.path[1] + 1}: ` : "";
        return `${line}${found.message}`;
      };
      setErrors({ commands: issue("allowed_commands"), urls: issue("allowed_url_prefixes") });
      return;
    }
    setErrors({});
    update.mutate(parsed.data, {
      onSuccess: (next) => {
        setCommands(next.allowed_commands.join("\n"));
        setUrls(next.allowed_url_prefixes.join("\n"));
        toast.success("Workspace MCP rule saved");
      },
    });
  }

  const dirty =
    mode !== saved.mode ||
    lines(commands).join("\n") !== saved.allowed_commands.join("\n") ||
    lines(urls).join("\n") !== saved.allowed_url_prefixes.join("\n");
  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate>
      <div className="flex flex-col gap-2">
        <label htmlFor={modeId} className="text-sm font-medium">
          Workspace MCP servers
        </label>
        <Select value={mode} onValueChange={(v) => setMode(v as WorkspaceMcpSettings["mode"])}>
          <SelectTrigger id={modeId} className="w-full sm:w-96">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            {(["on", "allowlist", "off"] as const).map((m) => (
              <SelectItem key={m} value={m}>
                {MODE_TEXT[m]}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
      </div>
      {mode === "allowlist" ? (
        <>
          <FormField
            label="Allowed stdio commands"
            description="One command line per line, e.g. npx -y @modelcontextprotocol/server-everything. A server matches when its command is exactly the first word and its arguments start with the other words. A bare command (no /) does not match a server that sets its own PATH."
            error={errors.commands ?? serverError("allowed_commands")}
          >
            <Textarea
              value={commands}
              onChange={(e) => setCommands(e.target.value)}
              rows={4}
              className="font-mono text-sm"
            />
          </FormField>
          <FormField
            label="Allowed HTTP/SSE URL prefixes"
            description="One URL per line, e.g. https://mcp.example.com/mcp. A server matches with the same scheme, host and port and a path at or below the prefix's path."
            error={errors.urls ?? serverError("allowed_url_prefixes")}
          >
            <Textarea
              value={urls}
              onChange={(e) => setUrls(e.target.value)}
              rows={4}
              className="font-mono text-sm"
            />
          </FormField>
        </>
      ) : null}
      {update.error && !serverError("allowed_commands") && !serverError("allowed_url_prefixes") ? (
        <p role="alert" className="text-sm text-destructive">
          {errorMessage(update.error)}
        </p>
      ) : null}
      <div className="flex gap-2">
        <Button
          type="submit"
          disabled={update.isPending || !dirty}
          aria-busy={update.isPending || undefined}
        >
          {update.isPending ? <ButtonSpinner /> : null}
          Save workspace MCP rule
        </Button>
        {dirty ? (
          <Button type="button" variant="ghost" onClick={reset}>
            Discard changes
          </Button>
        ) : null}
      </div>
    </form>
  );
}

/** The admin's rule for the MCP servers members bring in through a workspace `.mcp.json`. */
export function WorkspaceMcpSettingsCard() {
  const settings = useQuery(workspaceMcpSettingsQuery());
  return (
    <Card>
      <CardHeader>
        <CardTitle asChild>
          <h2>Workspace MCP servers</h2>
        </CardTitle>
        <CardDescription>
          Members can name MCP servers in a workspace&apos;s <code>.mcp.json</code>. This rule
          decides which of them may bring tools into chats; blocked servers show in the workspace
          panel and the chat&apos;s Tools dialog with the reason. Their tools are never offered in
          plan mode.
        </CardDescription>
      </CardHeader>
      <CardContent>
        {settings.isPending ? (
          <Skeleton
            className="h-24 w-full"
            aria-busy="true"
            aria-label="Loading workspace MCP rule"
          />
        ) : settings.isError ? (
          <ErrorView
            message={errorMessage(settings.error)}
            onRetry={() => void settings.refetch()}
          />
        ) : (
          <WorkspaceMcpForm saved={settings.data} />
        )}
      </CardContent>
    </Card>
  );
}
