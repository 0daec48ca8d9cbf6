"use client";

import { Undo2Icon, XIcon } from "lucide-react";
import { Button } from "@/components/ui/button";
import type { FormFieldControlProps } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import type { SecretInput as SecretValue } from "./mcp-server-form-logic";

export const STORED_PLACEHOLDER = "•••••••• (stored — type to replace)";

/**
 * A write-only secret. The stored value never reaches the browser: the field starts empty,
 * anything typed replaces it, and "Clear" deletes it on save.
 */
export function SecretInput({
  control,
  value,
  onChange,
  hasStored,
  secretName,
  placeholder,
}: {
  control: FormFieldControlProps;
  value: SecretValue;
  onChange: (next: SecretValue) => void;
  /** The saved config holds a value for this secret (same auth type). */
  hasStored: boolean;
  /** For the clear button's name, e.g. "API key" → "Clear stored API key". */
  secretName: string;
  placeholder?: string;
}) {
  const cleared = hasStored && value.clear;
  return (
    <div className="flex items-center gap-2">
      <Input
        {...control}
        type="password"
        // Keeps the browser from offering the admin's own password here.
        autoComplete="new-password"
        spellCheck={false}
        value={value.value}
        placeholder={
          cleared ? "Will be removed when you save" : hasStored ? STORED_PLACEHOLDER : placeholder
        }
        onChange={(e) => onChange({ ...value, value: e.target.value })}
      />
      {hasStored && !value.clear ? (
        <Button
          type="button"
          variant="outline"
          aria-label={`Clear stored ${secretName}`}
          onClick={() => onChange({ value: "", clear: true })}
        >
          <XIcon aria-hidden="true" />
          Clear
        </Button>
      ) : null}
      {cleared ? (
        <Button
          type="button"
          variant="ghost"
          aria-label={`Keep stored ${secretName}`}
          onClick={() => onChange({ value: "", clear: false })}
        >
          <Undo2Icon aria-hidden="true" />
          Undo
        </Button>
      ) : null}
    </div>
  );
}
