"use client";

import { CheckIcon, CopyIcon } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import { toast } from "@/components/ui/toast";
import { Button } from "@/components/ui/button";
import { copyText } from "@/lib/client/clipboard";
import { cn } from "@/lib/utils";

/**
 * An icon button that copies `text`. Its accessible name (`label`) stays the same after a copy,
 * so it can always be found by it; the confirmation is a check icon and a polite announcement.
 */
export function CopyButton({
  text,
  label,
  className,
}: {
  /** The text, or a function that reads it at click time (e.g. a code block still streaming). */
  text: string | (() => string);
  label: string;
  className?: string;
}) {
  const [copied, setCopied] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  async function onClick() {
    try {
      await copyText(typeof text === "function" ? text() : text);
      setCopied(true);
      clearTimeout(timer.current);
      timer.current = setTimeout(() => setCopied(false), 2000);
    } catch {
      toast.error("Could not copy to the clipboard.");
    }
  }

  return (
    <>
      <Button
        type="button"
        variant="ghost"
        size="icon"
        className={cn("size-7 text-muted-foreground hover:text-foreground", className)}
        aria-label={label}
        title={label}
        data-copied={copied || undefined}
        onClick={() => void onClick()}
      >
        {copied ? <CheckIcon className="text-emerald-600 dark:text-emerald-400" /> : <CopyIcon />}
      </Button>
      {/* Outside the button, so the button's name never changes. */}
      <span aria-live="polite" className="sr-only">
        {copied ? "Copied" : ""}
      </span>
    </>
  );
}
