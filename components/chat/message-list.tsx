"use client";

import { BrainIcon, ClipboardListIcon, NotebookPenIcon } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import type { McpServerConfig } from "@/lib/client/types";
import { Markdown } from "./markdown";
import type { ChatUIMessage, ChatUIPart } from "./message-convert";
import { Notice } from "./notice";
import { ToolCall } from "./tool-call";

function AssistantPart({
  part,
  servers,
}: {
  part: ChatUIPart;
  servers: readonly McpServerConfig[];
}) {
  switch (part.type) {
    case "text":
      return part.text ? <Markdown text={part.text} /> : null;
    case "dynamic-tool":
      return <ToolCall part={part} servers={servers} />;
    case "data-notice":
      return <Notice notice={part.data} servers={servers} />;
    case "data-plan":
      return (
        <div className="rounded-lg border bg-card p-3">
          <p className="mb-2 flex items-center gap-2 text-xs font-medium text-muted-foreground">
            <NotebookPenIcon aria-hidden="true" className="size-4" />
            Plan · <code className="font-mono">{part.data.path}</code>
          </p>
          <Markdown text={part.data.content} />
        </div>
      );
    case "data-question":
      return (
        <div className="flex items-start gap-2 rounded-lg border bg-card p-3 text-sm">
          <ClipboardListIcon aria-hidden="true" className="mt-0.5 size-4 text-muted-foreground" />
          <ul className="flex flex-col gap-1">
            {part.data.questions.map((q, i) => (
              <li key={i}>
                {typeof q === "string"
                  ? q
                  : typeof (q as { question?: unknown })?.question === "string"
                    ? (q as { question: string }).question
                    : JSON.stringify(q)}
              </li>
            ))}
          </ul>
        </div>
      );
    case "reasoning":
      return part.text ? (
        <details className="group rounded-lg border border-dashed px-3 py-2 text-sm text-muted-foreground">
          <summary className="flex cursor-pointer items-center gap-2 select-none">
            <BrainIcon aria-hidden="true" className="size-4" />
            Reasoning
          </summary>
          <div className="mt-2 whitespace-pre-wrap">{part.text}</div>
        </details>
      ) : null;
    default:
      return null;
  }
}

const STATUS_NOTE: Partial<Record<string, { text: string; tone: string }>> = {
  cancelled: { text: "Stopped.", tone: "text-muted-foreground" },
  interrupted: {
    text: "Interrupted: the server stopped while writing this answer.",
    tone: "text-muted-foreground",
  },
  error: { text: "This answer failed before it was complete.", tone: "text-destructive" },
};

function MessageItem({
  message,
  servers,
}: {
  message: ChatUIMessage;
  servers: readonly McpServerConfig[];
}) {
  if (message.role === "user") {
    const text = message.parts.map((p) => (p.type === "text" ? p.text : "")).join("\n");
    return (
      <div className="flex flex-col items-end gap-1" data-role="user">
        <h2 className="sr-only">You said:</h2>
        <div className="max-w-[85%] rounded-2xl rounded-br-sm bg-muted px-4 py-2 break-words whitespace-pre-wrap">
          {text}
        </div>
        {message.metadata?.plan_mode ? (
          <Badge variant="outline" className="font-normal">
            Plan mode
          </Badge>
        ) : null}
      </div>
    );
  }
  const note = message.metadata?.status ? STATUS_NOTE[message.metadata.status] : undefined;
  return (
    <div className="flex flex-col gap-3" data-role="assistant">
      <h2 className="sr-only">Assistant said:</h2>
      {message.parts.map((part, i) => (
        <AssistantPart
          key={part.type === "dynamic-tool" ? part.toolCallId : i}
          part={part}
          servers={servers}
        />
      ))}
      {note ? <p className={`text-xs ${note.tone}`}>{note.text}</p> : null}
    </div>
  );
}

/** Three pulsing dots while the answer is on its way. */
export function StreamingIndicator({ label }: { label: string }) {
  return (
    <div role="status" className="flex items-center gap-1 py-1" data-testid="streaming-indicator">
      {[0, 150, 300].map((delay) => (
        <span
          key={delay}
          aria-hidden="true"
          className="size-1.5 animate-pulse rounded-full bg-muted-foreground/70"
          style={{ animationDelay: `${delay}ms` }}
        />
      ))}
      <span className="sr-only">{label}</span>
    </div>
  );
}

export function MessageList({
  messages,
  servers,
}: {
  messages: readonly ChatUIMessage[];
  servers: readonly McpServerConfig[];
}) {
  return (
    <>
      {messages.map((m) => (
        <MessageItem key={m.id} message={m} servers={servers} />
      ))}
    </>
  );
}
