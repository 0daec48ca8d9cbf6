"use client";

import { isStaticToolUIPart } from "ai";
import { BrainIcon } from "lucide-react";
import { useMemo, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { CopyButton } from "@/components/ui/copy-button";
import type { McpServerConfig } from "@/lib/client/types";
import { ApprovalPartView } from "./approval-card";
import { ElicitationCard } from "./elicitation-card";
import { Markdown } from "./markdown";
import {
  BranchSwitcher,
  EditButton,
  EditMessageForm,
  isStored,
  RegenerateButton,
  type MessageActions,
} from "./message-actions";
import { renderableToolPart, type ChatUIMessage, type ChatUIPart } from "./message-convert";
import { Notice } from "./notice";
import { repeatedNotices } from "./notice-repeats";
import { IMPLEMENT_PLAN_MESSAGE, PlanCard } from "./plan-card";
import { QuestionForm } from "./question-form";
import { ToolCall } from "./tool-call";

/** Sends a follow-up user message from inside the conversation (plan and question actions). */
export type FollowUp = (text: string, opts: { planMode: boolean }) => void;

function AssistantPart({
  part,
  servers,
  followUp,
  planMode,
  repeat,
}: {
  part: ChatUIPart;
  servers: readonly McpServerConfig[];
  /** Set on the latest answer while no turn runs: its plan and questions can be acted on. */
  followUp?: FollowUp;
  /** The plan mode the answer was given in. */
  planMode: boolean;
  /** A notice an earlier answer already showed (the picker shows the server's state). */
  repeat: boolean;
}) {
  switch (part.type) {
    case "text":
      return part.text ? <Markdown text={part.text} /> : null;
    case "dynamic-tool":
      return <ToolCall part={part} servers={servers} />;
    case "data-notice":
      return repeat ? null : <Notice notice={part.data} servers={servers} />;
    case "data-plan":
      return (
        <PlanCard
          path={part.data.path}
          content={part.data.content}
          onImplement={
            followUp ? () => followUp(IMPLEMENT_PLAN_MESSAGE, { planMode: false }) : undefined
          }
        />
      );
    case "data-approval":
      return <ApprovalPartView part={part.data} servers={servers} />;
    case "data-elicitation":
      return <ElicitationCard part={part.data} />;
    case "data-question":
      return (
        <QuestionForm
          questions={part.data.questions}
          // Answers continue the conversation in the mode the questions were asked in.
          onAnswer={followUp ? (text) => followUp(text, { planMode }) : undefined}
        />
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
    default: {
      // Built-ins stream as static tool parts: shown like every other call.
      const tool = renderableToolPart(part);
      return tool ? <ToolCall part={tool} servers={servers} /> : null;
    }
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

/** What "Copy message" copies: the message's text parts as written (Markdown for answers). */
export function messageText(message: ChatUIMessage): string {
  return message.parts
    .flatMap((p) => (p.type === "text" && p.text.trim() ? [p.text.trim()] : []))
    .join("\n\n");
}

function MessageItem({
  message,
  planMode,
  servers,
  followUp,
  inProgress,
  repeats,
  actions,
  last,
}: {
  message: ChatUIMessage;
  planMode: boolean;
  servers: readonly McpServerConfig[];
  followUp?: FollowUp;
  /** The answer is still being written: nothing to copy yet. */
  inProgress: boolean;
  repeats: ReadonlySet<string>;
  /** Absent while a turn runs: nothing can be edited, regenerated or switched then. */
  actions?: MessageActions;
  /** The conversation's last message: only the latest answer offers "Regenerate". */
  last: boolean;
}) {
  const text = messageText(message);
  const [editing, setEditing] = useState(false);
  const stored = isStored(message);
  if (message.role === "user") {
    // Shown on hover and focus where there is a pointer; always on touch screens.
    const reveal =
      "opacity-0 group-hover/message:opacity-100 focus-visible:opacity-100 pointer-coarse:opacity-100";
    return (
      <div className="group/message flex flex-col items-end gap-1" data-role="user">
        <h2 className="sr-only">You said:</h2>
        {editing && actions ? (
          <EditMessageForm
            initial={text}
            onCancel={() => setEditing(false)}
            onSubmit={(edited) => {
              setEditing(false);
              actions.edit(message.id, edited);
            }}
          />
        ) : (
          <div className="max-w-[85%] rounded-2xl rounded-br-sm bg-muted px-4 py-2 break-words whitespace-pre-wrap">
            {text}
          </div>
        )}
        <div className="flex items-center gap-1">
          <BranchSwitcher message={message} actions={actions} />
          {actions && stored && !editing ? (
            <EditButton onClick={() => setEditing(true)} className={reveal} />
          ) : null}
          {message.metadata?.plan_mode ? (
            <Badge variant="outline" className="font-normal">
              Plan mode
            </Badge>
          ) : null}
          {text ? <CopyButton text={text} label="Copy message" className={reveal} /> : null}
        </div>
      </div>
    );
  }
  const note = message.metadata?.status ? STATUS_NOTE[message.metadata.status] : undefined;
  return (
    <div className="flex flex-col gap-3" data-role="assistant">
      <h2 className="sr-only">Assistant said:</h2>
      {message.parts.map((part, i) => (
        <AssistantPart
          key={
            part.type === "dynamic-tool" || isStaticToolUIPart(part)
              ? part.toolCallId
              : part.type === "data-approval"
                ? part.data.approval_id
                : part.type === "data-elicitation"
                  ? part.data.elicitation_id
                  : i
          }
          part={part}
          servers={servers}
          followUp={followUp}
          planMode={planMode}
          repeat={repeats.has(`${message.id}:${i}`)}
        />
      ))}
      {note ? <p className={`text-xs ${note.tone}`}>{note.text}</p> : null}
      {!inProgress ? (
        <div className="-mt-2 -ml-1.5 flex items-center gap-0.5">
          {text ? <CopyButton text={text} label="Copy message" /> : null}
          {actions && stored && last ? (
            <RegenerateButton onClick={() => actions.regenerate(message.id)} />
          ) : null}
          <BranchSwitcher message={message} actions={actions} />
        </div>
      ) : null}
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

/** Each message's plan mode; a streamed answer has no metadata yet and takes its question's. */
function planModes(messages: readonly ChatUIMessage[]): boolean[] {
  let asked = false;
  return messages.map((m) => {
    if (m.role === "user") asked = m.metadata?.plan_mode ?? false;
    return m.metadata?.plan_mode ?? asked;
  });
}

export function MessageList({
  messages,
  servers,
  followUp,
  busy = false,
  actions,
}: {
  messages: readonly ChatUIMessage[];
  servers: readonly McpServerConfig[];
  /** Absent while a turn runs: older plans and questions are never actionable. */
  followUp?: FollowUp;
  /** Edit, regenerate and branch switches; absent while a turn runs. */
  actions?: MessageActions;
  /** A turn runs: the last answer is still being written. */
  busy?: boolean;
}) {
  const last = messages.at(-1);
  const modes = planModes(messages);
  const repeats = useMemo(() => repeatedNotices(messages), [messages]);
  return (
    <>
      {messages.map((m, i) => (
        <MessageItem
          key={m.id}
          message={m}
          planMode={modes[i] ?? false}
          servers={servers}
          followUp={m === last && m.role === "assistant" ? followUp : undefined}
          inProgress={busy && m === last}
          repeats={repeats}
          actions={busy ? undefined : actions}
          last={m === last}
        />
      ))}
    </>
  );
}
