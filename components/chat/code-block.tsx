"use client";

import { useEffect, useMemo, useState, type ReactNode } from "react";
import { CopyButton } from "@/components/ui/copy-button";
import { codeLanguage } from "./code-language";

type Highlight = (code: string, lang: string) => ReactNode | null;

// One import for the whole page, started by the first block that has a language.
let highlighterLoad: Promise<Highlight> | undefined;
const loadHighlighter = () => (highlighterLoad ??= import("./highlight").then((m) => m.highlight));

/** The highlighter once it has loaded; until then (and for plain blocks) undefined. */
function useHighlighter(enabled: boolean): Highlight | undefined {
  const [fn, setFn] = useState<Highlight>();
  useEffect(() => {
    if (!enabled || fn) return;
    let live = true;
    loadHighlighter()
      .then((h) => live && setFn(() => h))
      // Highlighting is decoration: if the chunk fails to load, the plain code stays.
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [enabled, fn]);
  return fn;
}

/** A fenced code block: its language, a copy button, and highlighting once the grammar loads. */
export function CodeBlock({ code, info }: { code: string; info?: string }) {
  const lang = codeLanguage(info);
  const highlight = useHighlighter(lang !== "");
  const highlighted = useMemo(() => highlight?.(code, lang) ?? null, [highlight, code, lang]);
  const shownLang = (info ?? "").trim().split(/\s+/)[0] ?? "";
  return (
    <div className="overflow-hidden rounded-md border bg-muted/60" data-lang={lang || undefined}>
      <div className="flex items-center justify-between gap-2 border-b py-0.5 pr-1 pl-3 text-xs text-muted-foreground">
        <span className="truncate font-mono">{shownLang || "text"}</span>
        <CopyButton text={code} label="Copy code" />
      </div>
      <pre className="overflow-x-auto p-3 font-mono text-xs leading-relaxed whitespace-pre">
        <code className="hljs">{highlighted ?? code}</code>
      </pre>
    </div>
  );
}
