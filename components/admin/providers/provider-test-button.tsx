"use client";

import { useMutation } from "@tanstack/react-query";
import { CircleCheckIcon, CircleXIcon, PlugZapIcon } from "lucide-react";
import { Button } from "@/components/ui/button";
import { ButtonSpinner } from "@/components/ui/spinner";
import { errorMessage } from "@/lib/client/api";
import { testProviderMutation } from "@/lib/client/provider-queries";
import type { ModelProvider } from "@/lib/client/types";

/** Sends one tiny chat request to the provider's default model and says how it went. */
export function ProviderTestButton({ provider }: { provider: ModelProvider }) {
  const test = useMutation(testProviderMutation());
  const result = test.data;
  return (
    <div className="flex flex-col items-end gap-1">
      <Button
        variant="ghost"
        size="sm"
        aria-label={`Test ${provider.display_name}`}
        title="Send a tiny request to the default model"
        disabled={test.isPending}
        aria-busy={test.isPending}
        onClick={() => test.mutate(provider.id)}
      >
        {test.isPending ? <ButtonSpinner /> : <PlugZapIcon aria-hidden="true" />}
        Test
      </Button>
      <p
        role="status"
        aria-label={`Test result of ${provider.display_name}`}
        className="max-w-64 text-right text-xs"
      >
        {test.isPending ? (
          <span className="text-muted-foreground">Testing…</span>
        ) : test.isError ? (
          <span className="text-destructive">{errorMessage(test.error)}</span>
        ) : result?.ok ? (
          <span className="inline-flex items-center gap-1 text-emerald-700 dark:text-emerald-400">
            <CircleCheckIcon aria-hidden="true" className="size-3.5" />
            Works: {result.model} answered in {result.latency_ms} ms
          </span>
        ) : result ? (
          <span className="inline-flex items-start gap-1 text-destructive">
            <CircleXIcon aria-hidden="true" className="mt-0.5 size-3.5 shrink-0" />
            {result.model}: {result.error?.message ?? "the request failed"}
          </span>
        ) : null}
      </p>
    </div>
  );
}
