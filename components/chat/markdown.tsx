"use client";

import { lazy, Suspense } from "react";
import { cn } from "@/lib/utils";

// The Markdown renderer (react-markdown, remark-gfm and the micromark parser) is its own chunk:
// the chat pages preload it while they fetch the chat (preloadMarkdown), so it is usually there
// before the first message shows, and it stays out of every other page's first load.
const load = () => import("./markdown-render");
const MarkdownRender = lazy(load);

export const preloadMarkdown = () => void load().catch(() => undefined);

/** Model text as safe Markdown (see markdown-render.tsx); plain text until the renderer loads. */
export function Markdown({ text, className }: { text: string; className?: string }) {
  return (
    <Suspense
      fallback={
        <div className={cn("leading-relaxed break-words whitespace-pre-wrap", className)}>
          {text}
        </div>
      }
    >
      <MarkdownRender text={text} className={className} />
    </Suspense>
  );
}
