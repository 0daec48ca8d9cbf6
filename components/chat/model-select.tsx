"use client";

import { BotIcon, CpuIcon } from "lucide-react";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import {
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from "@/components/ui/select";
import type { ModelOption } from "@/lib/client/types";

/** The model a chat without an explicit choice uses. */
export const defaultModelId = (models: readonly ModelOption[]) =>
  (models.find((m) => m.is_default) ?? models[0])?.id;

export function ModelSelect({
  models,
  value,
  onChange,
  disabled = false,
}: {
  models: readonly ModelOption[];
  /** `null`/undefined: the default model. */
  value: string | null | undefined;
  onChange: (id: string) => void;
  disabled?: boolean;
}) {
  const current = value ?? defaultModelId(models) ?? "";
  // A model removed by an admin since the chat chose it stays visible instead of going blank.
  const missing = current && !models.some((m) => m.id === current);
  return (
    <Select value={current} onValueChange={onChange} disabled={disabled || models.length === 0}>
      <SelectTrigger
        size="sm"
        aria-label="Model"
        // Hovered, dark mode lightens the background: full-strength text keeps it readable.
        className="max-w-52 border-none bg-transparent text-muted-foreground shadow-none hover:text-foreground dark:bg-transparent"
      >
        <CpuIcon aria-hidden="true" />
        <SelectValue placeholder="Model" />
      </SelectTrigger>
      <SelectContent>
        {missing ? (
          <SelectItem value={current} disabled>
            {current.split(":").slice(1).join(":") || current} (unavailable)
          </SelectItem>
        ) : null}
        {models.map((m) => (
          <SelectItem key={m.id} value={m.id}>
            {m.name}
          </SelectItem>
        ))}
      </SelectContent>
    </Select>
  );
}

/** Shown instead of the composer until an admin has added a model provider. */
export function NoModelsState({ isAdmin }: { isAdmin: boolean }) {
  return (
    <EmptyState
      icon={<BotIcon />}
      title="No model is configured"
      description={
        isAdmin
          ? "Add a model provider (OpenAI-compatible, OpenAI or Anthropic) so people can chat."
          : "An admin must add a model provider before you can chat. Ask your toolgate admin."
      }
      action={
        isAdmin ? (
          <Button asChild>
            <Link href="/admin/providers">Add a model provider</Link>
          </Button>
        ) : undefined
      }
    />
  );
}
