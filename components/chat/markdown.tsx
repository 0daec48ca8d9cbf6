import { useMemo, type ReactNode } from "react";
import { cn } from "@/lib/utils";
import { parseMarkdown, type Block, type Inline } from "./markdown-parse";

function renderInline(nodes: Inline[]): ReactNode[] {
  return nodes.map((node, i) => {
    switch (node.type) {
      case "text":
        return node.text;
      case "code":
        return (
          <code key={i} className="rounded bg-muted px-1 py-0.5 font-mono text-[0.85em]">
            {node.text}
          </code>
        );
      case "strong":
        return <strong key={i}>{renderInline(node.children)}</strong>;
      case "em":
        return <em key={i}>{renderInline(node.children)}</em>;
      case "link":
        return (
          <a
            key={i}
            href={node.href}
            target="_blank"
            rel="noreferrer"
            className="font-medium text-primary underline underline-offset-4"
          >
            {renderInline(node.children)}
          </a>
        );
    }
  });
}

function renderBlock(block: Block, i: number): ReactNode {
  switch (block.type) {
    case "paragraph":
      return <p key={i}>{renderInline(block.children)}</p>;
    case "heading":
      // Headings inside an answer are styled, not put in the page outline.
      return (
        <p key={i} className={cn("font-semibold", block.level <= 2 && "text-base")}>
          {renderInline(block.children)}
        </p>
      );
    case "code":
      return (
        <pre
          key={i}
          className="overflow-x-auto rounded-md border bg-muted/60 p-3 font-mono text-xs leading-relaxed whitespace-pre"
          data-lang={block.lang || undefined}
        >
          <code>{block.text}</code>
        </pre>
      );
    case "list": {
      const items = block.items.map((item, j) => <li key={j}>{renderInline(item)}</li>);
      return block.ordered ? (
        <ol key={i} start={block.start} className="list-decimal space-y-1 pl-6">
          {items}
        </ol>
      ) : (
        <ul key={i} className="list-disc space-y-1 pl-6">
          {items}
        </ul>
      );
    }
    case "quote":
      return (
        <blockquote key={i} className="border-l-2 pl-3 text-muted-foreground">
          {renderInline(block.children)}
        </blockquote>
      );
  }
}

/** Model text as safe Markdown (see markdown-parse.ts); line breaks inside paragraphs are kept. */
export function Markdown({ text, className }: { text: string; className?: string }) {
  const blocks = useMemo(() => parseMarkdown(text), [text]);
  return (
    <div
      className={cn(
        "flex flex-col gap-3 leading-relaxed break-words whitespace-pre-wrap",
        className,
      )}
    >
      {blocks.map(renderBlock)}
    </div>
  );
}
