"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { toast } from "@/components/ui/toast";
import { ErrorView } from "@/components/error-view";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { FormField } from "@/components/ui/form-field";
import { PageHeader } from "@/components/ui/page-header";
import { Skeleton } from "@/components/ui/skeleton";
import { ButtonSpinner } from "@/components/ui/spinner";
import { Textarea } from "@/components/ui/textarea";
import { ApiRequestError, errorMessage } from "@/lib/client/api";
import { appSettingsQuery, updateAppSettingsMutation } from "@/lib/client/settings-queries";
import {
  appSettingsBody,
  PLAN_MODE_INSTRUCTIONS_MAX,
  type AppSettings,
} from "@/lib/schemas/settings";
import { WorkspaceMcpSettingsCard } from "./workspace-mcp-settings";

function PlanModeForm({ saved }: { saved: AppSettings }) {
  const qc = useQueryClient();
  const update = useMutation(updateAppSettingsMutation(qc));
  const [text, setText] = useState(saved.plan_mode_instructions);
  const [localError, setLocalError] = useState<string>();
  const serverError =
    update.error instanceof ApiRequestError
      ? (update.error.fieldError("plan_mode_instructions") ?? update.error.message)
      : update.error
        ? errorMessage(update.error)
        : undefined;

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const parsed = appSettingsBody.safeParse({ plan_mode_instructions: text });
    if (!parsed.success) {
      setLocalError(parsed.error.issues[0]?.message);
      return;
    }
    setLocalError(undefined);
    update.mutate(parsed.data, {
      onSuccess: (next) => {
        setText(next.plan_mode_instructions);
        toast.success("Plan-mode instructions saved");
      },
    });
  }

  const dirty = text !== saved.plan_mode_instructions;
  return (
    <Card>
      <CardHeader>
        <CardTitle asChild>
          <h2>Plan mode</h2>
        </CardTitle>
        <CardDescription>
          Added to the system prompt of every plan-mode turn, for the main chat and its sub-agents,
          after toolgate&apos;s own plan-mode instructions. Use it for house rules: where plans must
          link tickets, which sections every plan needs, which sources to check. It cannot widen
          what plan mode may do: tool access is decided by the MCP server settings.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <form onSubmit={onSubmit} className="flex flex-col gap-3" noValidate>
          <FormField
            label="Extra plan-mode instructions"
            description={`${text.length} / ${PLAN_MODE_INSTRUCTIONS_MAX} characters. Leave empty for none.`}
            error={localError ?? serverError}
          >
            <Textarea
              value={text}
              onChange={(e) => setText(e.target.value)}
              rows={8}
              className="max-h-[28rem] font-mono text-sm"
              placeholder="e.g. Every plan ends with a rollout and rollback section."
            />
          </FormField>
          <div className="flex gap-2">
            <Button
              type="submit"
              disabled={update.isPending || !dirty}
              aria-busy={update.isPending || undefined}
            >
              {update.isPending ? <ButtonSpinner /> : null}
              Save
            </Button>
            {dirty ? (
              <Button
                type="button"
                variant="ghost"
                onClick={() => setText(saved.plan_mode_instructions)}
              >
                Discard changes
              </Button>
            ) : null}
          </div>
        </form>
      </CardContent>
    </Card>
  );
}

/** Instance-wide settings for admins (GET/PUT /api/admin/settings). */
export function AppSettingsAdmin() {
  const settings = useQuery(appSettingsQuery());
  return (
    <div className="mx-auto flex max-w-3xl flex-col gap-6">
      <PageHeader title="App settings" description="Settings that apply to every user's chats." />
      {settings.isPending ? (
        <Skeleton className="h-64 w-full" aria-busy="true" aria-label="Loading settings" />
      ) : settings.isError ? (
        <ErrorView message={errorMessage(settings.error)} onRetry={() => void settings.refetch()} />
      ) : (
        <PlanModeForm saved={settings.data} />
      )}
      <WorkspaceMcpSettingsCard />
    </div>
  );
}
