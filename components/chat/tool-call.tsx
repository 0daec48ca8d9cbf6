"use client";

import type { DynamicToolUIPart } from "ai";
import {
  CheckIcon,
  ChevronDownIcon,
  CircleAlertIcon,
  LoaderCircleIcon,
  ShieldBanIcon,
} from "lucide-react";
import { useId, useState, type ReactNode } from "react";
import { McpServerIcon } from "@/components/admin/mcp-servers/mcp-server-icon";
import { Badge } from "@/components/ui/badge";
import type { McpServerConfig } from "@/lib/client/types";
import { cn } from "@/lib/utils";
import { outputText, type ToolMetadata } from "./message-convert";
import { ToolAttachments } from "./tool-attachments";
import { findToolServer, splitModelIntent, toolCallLabel } from "./tool-label";
import { describeToolOutput, isErrorOutput, toJson } from "./tool-output";
import { ToolProgressBar, useToolProgress } from "./tool-progress";

type Phase = "running" | "complete" | "error" | "denied";

function phaseOf(part: DynamicToolUIPart): Phase {
  switch (part.state) {
    case "input-streaming":
    case "input-available":
    case "approval-requested":
    case "approval-responded":
      return "running";
    case "output-available":
      return isErrorOutput(part.output) ? "error" : "complete";
    case "output-error":
      return "error";
    case "output-denied":
      return "denied";
  }
}

const PHASE_TEXT: Record<Phase, string> = {
  running: "Running",
  complete: "Done",
  error: "Failed",
  denied: "Denied",
};

function PhaseIcon({ phase }: { phase: Phase }) {
  const icon =
    phase === "running" ? (
      <LoaderCircleIcon
        data-motion="allow"
        className="animate-spin text-muted-foreground motion-reduce:[animation-duration:2s]"
      />
    ) : phase === "complete" ? (
      <CheckIcon className="text-emerald-600 dark:text-emerald-400" />
    ) : phase === "error" ? (
      <CircleAlertIcon className="text-destructive" />
    ) : (
      <ShieldBanIcon className="text-destructive" />
    );
  return (
    <span className="flex size-4 shrink-0 items-center justify-center [&_svg]:size-4">
      <span aria-hidden="true" className="contents">
        {icon}
      </span>
      <span className="sr-only">{PHASE_TEXT[phase]}:</span>
    </span>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="flex flex-col gap-1">
      <p className="text-xs font-medium text-muted-foreground">{title}</p>
      {children}
    </div>
  );
}

const preClass =
  "max-h-72 overflow-auto rounded-md bg-muted/60 p-2 font-mono text-xs whitespace-pre-wrap break-words";

/** The result's text; images, links and resources show below the row (ToolAttachments). */
function ToolResult({ output }: { output: unknown }) {
  const blocks = describeToolOutput(output).filter((b) => b.kind !== "image");
  if (blocks.length === 0) return <p className="text-xs text-muted-foreground">No text.</p>;
  return (
    <div className="flex flex-col gap-2">
      {blocks.map((b, i) => (
        <pre key={i} className={preClass}>
          {b.text}
        </pre>
      ))}
    </div>
  );
}

/**
 * One tool call, whatever the tool: the label is the model's intent when the server asks for
 * one, else the humanized tool name; arguments and result are behind a disclosure button.
 */
export function ToolCall({
  part,
  servers,
}: {
  part: DynamicToolUIPart;
  servers: readonly McpServerConfig[];
}) {
  const [open, setOpen] = useState(false);
  const detailsId = useId();
  const metadata = (part.toolMetadata ?? {}) as ToolMetadata;
  const { intent, args } = splitModelIntent(part.input);
  const label = toolCallLabel({
    // The tool's own name, when known, avoids humanizing a hash suffix added for uniqueness.
    name: metadata.tool_name ?? part.toolName,
    intent: part.title ?? intent,
  });
  const server = findToolServer(servers, part.toolName, metadata.server_id);
  const phase = phaseOf(part);
  const progress = useToolProgress(part.toolCallId);
  const errorText =
    part.state === "output-error"
      ? part.errorText
      : phase === "error"
        ? outputText(part.output)
        : part.state === "output-denied"
          ? part.approval.reason || "This tool is not available in this chat."
          : undefined;

  return (
    <div
      className={cn(
        "rounded-lg border bg-card text-sm",
        (phase === "error" || phase === "denied") && "border-destructive/40",
      )}
      data-tool-name={part.toolName}
      data-state={phase}
    >
      <div className="flex items-center gap-2 px-3 py-2">
        <PhaseIcon phase={phase} />
        <button
          type="button"
          className="flex min-w-0 flex-1 items-center gap-2 rounded-sm text-left font-medium outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50"
          aria-expanded={open}
          aria-controls={detailsId}
          aria-label={`Show details for ${label}`}
          onClick={() => setOpen((v) => !v)}
        >
          <span className="truncate">{label}</span>
          <ChevronDownIcon
            aria-hidden="true"
            className={cn(
              "size-4 shrink-0 text-muted-foreground transition-transform",
              open && "rotate-180",
            )}
          />
        </button>
        {server ? (
          <Badge variant="outline" className="max-w-40 gap-1.5 font-normal">
            <McpServerIcon
              src={server.icon_url}
              name={server.display_name}
              decorative
              className="size-3.5 rounded-sm border-0 [&_svg]:size-3"
            />
            <span className="truncate">{server.display_name}</span>
          </Badge>
        ) : null}
        {metadata.source === "workspace_mcp" ? (
          <Badge variant="outline" className="font-normal">
            From the workspace
          </Badge>
        ) : null}
        {phase === "denied" ? <Badge variant="destructive">Denied</Badge> : null}
        {phase === "error" ? (
          <Badge variant="outline" className="border-destructive/50 text-destructive">
            Error
          </Badge>
        ) : null}
      </div>
      {progress && phase === "running" ? <ToolProgressBar data={progress} label={label} /> : null}
      {/* Error results are shown by their message alone, live as after a reload. */}
      {part.state === "output-available" && phase !== "error" ? (
        <ToolAttachments output={part.output} />
      ) : null}
      {errorText && phase !== "running" ? (
        <p className="border-t px-3 py-2 text-xs break-words text-destructive" role="note">
          {errorText}
        </p>
      ) : null}
      <div id={detailsId} hidden={!open} className="flex flex-col gap-3 border-t px-3 py-3">
        {open ? (
          <>
            <p className="text-xs text-muted-foreground">
              Tool <code className="font-mono">{part.toolName}</code>
              {server ? ` on ${server.display_name}` : null}
            </p>
            <Section title="Arguments">
              <pre className={preClass}>{args === undefined ? "…" : toJson(args)}</pre>
            </Section>
            {/* A failed result is already shown as the error above. */}
            {part.state === "output-available" && phase !== "error" ? (
              <Section title="Result">
                <ToolResult output={part.output} />
              </Section>
            ) : phase === "running" ? (
              <p className="text-xs text-muted-foreground">Waiting for the result…</p>
            ) : null}
          </>
        ) : null}
      </div>
    </div>
  );
}
