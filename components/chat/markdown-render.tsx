"use client";

import { CircleCheckIcon, CircleIcon } from "lucide-react";
import { memo, type ComponentProps } from "react";
import ReactMarkdown, { type Components } from "react-markdown";
import remarkGfm from "remark-gfm";
import { cn } from "@/lib/utils";
import { CodeBlock } from "./code-block";
import { safeHref } from "./markdown-url";

// Model output is untrusted. react-markdown builds React elements from a syntax tree and, with
// no rehype-raw, never renders raw HTML (it shows as text). URLs pass safeHref: an unsafe one
// is dropped and its link text stays. Images are not loaded: a model (or a prompt injected
// through a tool result) could otherwise leak the conversation in an image URL's query
// string, so they show as a link the user chooses to open.

type HastNode = { type: string; value?: string; children?: HastNode[] };
const textOf = (node: HastNode | undefined): string =>
  node ? (node.value ?? (node.children ?? []).map(textOf).join("")) : "";

const heading = ({
  children,
  node: _node,
  ...props
}: ComponentProps<"h1"> & { node?: unknown }) => (
  // Headings inside an answer are styled, not put in the page outline.
  <p {...props} className="font-semibold">
    {children}
  </p>
);

const components: Components = {
  p: ({ node: _node, ...props }) => <p {...props} className="whitespace-pre-wrap" />,
  h1: heading,
  h2: heading,
  h3: heading,
  h4: heading,
  h5: heading,
  h6: heading,
  a: ({ node: _node, href, children }) =>
    href ? (
      <a
        href={href}
        target="_blank"
        rel="noreferrer noopener"
        className="font-medium text-primary underline underline-offset-4"
      >
        {children}
      </a>
    ) : (
      <span>{children}</span>
    ),
  img: ({ src, alt }) => {
    const label = alt?.trim() ? `Image: ${alt.trim()}` : "Image";
    return typeof src === "string" && src ? (
      <a
        href={src}
        target="_blank"
        rel="noreferrer noopener"
        className="font-medium text-primary underline underline-offset-4"
      >
        {label}
      </a>
    ) : (
      <span>{label}</span>
    );
  },
  ul: ({ node: _node, className, ...props }) => (
    <ul
      {...props}
      className={cn(
        "list-disc space-y-1 pl-6",
        className?.includes("contains-task-list") && "list-none pl-1",
      )}
    />
  ),
  ol: ({ node: _node, ...props }) => <ol {...props} className="list-decimal space-y-1 pl-6" />,
  li: ({ node: _node, className, ...props }) => (
    <li
      {...props}
      className={cn(className?.includes("task-list-item") && "flex items-start gap-2")}
    />
  ),
  // A GFM task list box: shown, not editable (the answer is not a form).
  input: ({ type, checked }) =>
    type === "checkbox" ? (
      <span className="mt-0.5 shrink-0">
        {checked ? (
          <CircleCheckIcon
            aria-hidden="true"
            className="size-4 text-emerald-600 dark:text-emerald-400"
          />
        ) : (
          <CircleIcon aria-hidden="true" className="size-4 text-muted-foreground" />
        )}
        <span className="sr-only">{checked ? "Done:" : "To do:"}</span>
      </span>
    ) : null,
  blockquote: ({ node: _node, ...props }) => (
    <blockquote {...props} className="border-l-2 pl-3 text-muted-foreground" />
  ),
  hr: () => <hr className="border-border" />,
  table: ({ node: _node, ...props }) => (
    <div className="max-w-full overflow-x-auto rounded-md border">
      <table {...props} className="w-full border-collapse text-sm" />
    </div>
  ),
  thead: ({ node: _node, ...props }) => <thead {...props} className="bg-muted/60" />,
  tr: ({ node: _node, ...props }) => <tr {...props} className="border-b last:border-b-0" />,
  th: ({ node: _node, style, ...props }) => (
    <th {...props} style={style} className="px-3 py-1.5 text-left font-semibold" />
  ),
  td: ({ node: _node, style, ...props }) => (
    <td {...props} style={style} className="px-3 py-1.5 align-top" />
  ),
  del: ({ node: _node, ...props }) => <del {...props} className="text-muted-foreground" />,
  // Inline code only: fenced blocks are taken whole by `pre` below.
  code: ({ node: _node, ...props }) => (
    <code {...props} className="rounded bg-muted px-1 py-0.5 font-mono text-[0.85em]" />
  ),
  pre: ({ node }) => {
    const code = node?.children.find((c) => c.type === "element" && c.tagName === "code");
    const classes = code?.type === "element" ? code.properties.className : undefined;
    const info = Array.isArray(classes)
      ? classes.map(String).find((c) => c.startsWith("language-"))
      : undefined;
    // The parser ends the text with the newline before the closing fence.
    const text = textOf(code as HastNode | undefined).replace(/\n$/, "");
    return <CodeBlock code={text} info={info?.slice("language-".length)} />;
  },
};

const urlTransform = (url: string) => safeHref(url) ?? "";

/** GitHub-flavoured Markdown (tables, task lists, strikethrough, autolinks) as React elements. */
function MarkdownRender({ text, className }: { text: string; className?: string }) {
  return (
    <div className={cn("flex min-w-0 flex-col gap-3 leading-relaxed break-words", className)}>
      <ReactMarkdown
        remarkPlugins={[remarkGfm]}
        components={components}
        urlTransform={urlTransform}
      >
        {text}
      </ReactMarkdown>
    </div>
  );
}

export default memo(MarkdownRender);
