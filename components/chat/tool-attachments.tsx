"use client";

import { ChevronDownIcon, DownloadIcon, FileIcon, FileTextIcon, LinkIcon } from "lucide-react";
import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import type { DisplayResource } from "@/lib/mcp/tool-resources";
import { cn } from "@/lib/utils";
import {
  downloadName,
  formatBytes,
  openableUrl,
  resourceName,
  resourcesOf,
} from "./tool-attachments-logic";
import { describeToolOutput } from "./tool-output";

const cardClass = "flex min-w-0 items-start gap-2 rounded-md border bg-background/60 px-2.5 py-2";
const metaClass = "text-xs break-all text-muted-foreground";

function LinkCard({ resource }: { resource: Extract<DisplayResource, { kind: "link" }> }) {
  const href = openableUrl(resource.uri);
  const label = resource.title ?? resource.name;
  const details = [
    resource.mimeType,
    resource.size === undefined ? undefined : formatBytes(resource.size),
  ]
    .filter((s) => s !== undefined)
    .join(" · ");
  return (
    <div className={cardClass} data-resource-kind="link">
      <LinkIcon aria-hidden="true" className="mt-0.5 size-4 shrink-0 text-muted-foreground" />
      <div className="flex min-w-0 flex-col gap-0.5">
        {href ? (
          <a
            href={href}
            target="_blank"
            rel="noopener noreferrer"
            className="font-medium break-words text-primary underline underline-offset-2"
          >
            {label}
            <span className="sr-only"> (opens in a new tab)</span>
          </a>
        ) : (
          <span className="font-medium break-words">{label}</span>
        )}
        {resource.title !== undefined && resource.title !== resource.name ? (
          <span className="text-xs text-muted-foreground">{resource.name}</span>
        ) : null}
        <code className={cn(metaClass, "font-mono")}>{resource.uri}</code>
        {details ? <span className={metaClass}>{details}</span> : null}
        {resource.description ? (
          <p className="text-xs break-words">{resource.description}</p>
        ) : null}
      </div>
    </div>
  );
}

function TextResource({ resource }: { resource: Extract<DisplayResource, { kind: "text" }> }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const name = resourceName(resource.uri);
  return (
    <div
      className="flex min-w-0 flex-col rounded-md border bg-background/60"
      data-resource-kind="text"
    >
      <button
        type="button"
        className="flex min-w-0 items-center gap-2 rounded-md px-2.5 py-2 text-left outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen((v) => !v)}
      >
        <FileTextIcon aria-hidden="true" className="size-4 shrink-0 text-muted-foreground" />
        <span className="min-w-0 flex-1">
          <span className="block truncate font-medium">{name}</span>
          <code className={cn(metaClass, "block font-mono")}>
            {resource.uri}
            {resource.mimeType ? ` · ${resource.mimeType}` : ""}
          </code>
        </span>
        <ChevronDownIcon
          aria-hidden="true"
          className={cn(
            "size-4 shrink-0 text-muted-foreground transition-transform",
            open && "rotate-180",
          )}
        />
      </button>
      <div id={id} hidden={!open} className="border-t p-2">
        {open ? (
          <pre className="max-h-72 overflow-auto rounded-md bg-muted/60 p-2 font-mono text-xs break-words whitespace-pre-wrap">
            {resource.text}
            {resource.truncated ? "\n… [truncated for display]" : ""}
          </pre>
        ) : null}
      </div>
    </div>
  );
}

function download(resource: Extract<DisplayResource, { kind: "blob" }>) {
  if (resource.data === undefined) return;
  const binary = atob(resource.data);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  // Always octet-stream: the browser saves the file, never renders what a tool sent.
  const url = URL.createObjectURL(new Blob([bytes], { type: "application/octet-stream" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = downloadName(resource.uri);
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

function BlobResource({ resource }: { resource: Extract<DisplayResource, { kind: "blob" }> }) {
  const name = resourceName(resource.uri);
  const details = [
    resource.mimeType ?? "unknown type",
    resource.bytes === undefined ? "invalid data" : formatBytes(resource.bytes),
  ].join(" · ");
  return (
    <div className={cardClass} data-resource-kind="blob">
      <FileIcon aria-hidden="true" className="mt-0.5 size-4 shrink-0 text-muted-foreground" />
      <div className="flex min-w-0 flex-1 flex-col gap-0.5">
        <span className="font-medium break-words">{name}</span>
        <code className={cn(metaClass, "font-mono")}>{resource.uri}</code>
        <span className={metaClass}>
          {details}
          {resource.data === undefined && resource.bytes !== undefined
            ? " · too large to keep in the chat"
            : ""}
        </span>
      </div>
      {resource.data !== undefined ? (
        <Button
          type="button"
          size="sm"
          variant="outline"
          aria-label={`Download ${name}`}
          onClick={() => download(resource)}
        >
          <DownloadIcon aria-hidden="true" />
          Download
        </Button>
      ) : null}
    </div>
  );
}

/**
 * What a tool returned for the person to see at a glance, below its row: images inline (only
 * inline data, never a URL a tool chose), link cards and embedded resources.
 */
export function ToolAttachments({ output }: { output: unknown }) {
  const images = describeToolOutput(output).filter((b) => b.kind === "image");
  const resources = resourcesOf(output);
  if (images.length === 0 && resources.length === 0) return null;
  return (
    <div className="flex flex-col gap-2 border-t px-3 py-2" data-slot="tool-attachments">
      {images.map((b, i) =>
        b.kind === "image" ? (
          // eslint-disable-next-line @next/next/no-img-element -- inline data from the tool
          <img
            key={`i${i}`}
            src={b.src}
            alt={b.alt}
            className="max-h-64 w-fit max-w-full rounded-md border"
          />
        ) : null,
      )}
      {resources.map((r, i) =>
        r.kind === "link" ? (
          <LinkCard key={`r${i}`} resource={r} />
        ) : r.kind === "text" ? (
          <TextResource key={`r${i}`} resource={r} />
        ) : (
          <BlobResource key={`r${i}`} resource={r} />
        ),
      )}
    </div>
  );
}
