"use client";

// What a person can do with a stored message besides copying it: edit a question, regenerate
// an answer, and step through the versions an edit or a regeneration left behind
// (docs/chat-branches.md). Only messages the server has confirmed (with their branch data) get
// these controls: a message streamed a moment ago gets them once its turn ended.
import { ChevronLeftIcon, ChevronRightIcon, PencilIcon, RefreshCwIcon } from "lucide-react";
import { useId, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Textarea } from "@/components/ui/textarea";
import type { ChatUIMessage } from "./message-convert";

export interface MessageActions {
  /** Another answer to the question this answer replied to. */
  regenerate: (answerId: string) => void;
  /** Sends `text` as a new version of the question. */
  edit: (questionId: string, text: string) => void;
  /** Shows the branch through this message. */
  showBranch: (messageId: string) => void;
  /** A branch switch is on its way: the switchers wait. */
  switching: boolean;
}

const ACTION_CLASS = "size-7 text-muted-foreground hover:text-foreground";

/** "‹ 2 / 3 ›" between a message's versions; nothing when it has only one. */
export function BranchSwitcher({
  message,
  actions,
}: {
  message: ChatUIMessage;
  actions?: MessageActions;
}) {
  const siblings = message.metadata?.sibling_ids ?? [];
  const index = siblings.indexOf(message.id);
  if (siblings.length < 2 || index < 0) return null;
  const kind = message.role === "user" ? "message" : "answer";
  const go = (to: number) => actions?.showBranch(siblings[to]!);
  const disabled = !actions || actions.switching;
  return (
    <div
      className="flex items-center text-xs text-muted-foreground"
      role="group"
      aria-label={`Versions of this ${kind}`}
    >
      <Button
        type="button"
        variant="ghost"
        size="icon"
        className={ACTION_CLASS}
        aria-label={`Previous version of this ${kind}`}
        disabled={disabled || index === 0}
        onClick={() => go(index - 1)}
      >
        <ChevronLeftIcon />
      </Button>
      <span className="tabular-nums" aria-live="polite">
        {index + 1} / {siblings.length}
      </span>
      <Button
        type="button"
        variant="ghost"
        size="icon"
        className={ACTION_CLASS}
        aria-label={`Next version of this ${kind}`}
        disabled={disabled || index === siblings.length - 1}
        onClick={() => go(index + 1)}
      >
        <ChevronRightIcon />
      </Button>
    </div>
  );
}

/** Present once the server confirmed the message: its id is then the stored one. */
export const isStored = (message: ChatUIMessage) => message.metadata?.sibling_ids !== undefined;

export function RegenerateButton({ onClick }: { onClick: () => void }) {
  return (
    <Button
      type="button"
      variant="ghost"
      size="icon"
      className={ACTION_CLASS}
      aria-label="Regenerate answer"
      title="Regenerate answer"
      onClick={onClick}
    >
      <RefreshCwIcon />
    </Button>
  );
}

export function EditButton({ onClick, className }: { onClick: () => void; className?: string }) {
  return (
    <Button
      type="button"
      variant="ghost"
      size="icon"
      className={`${ACTION_CLASS} ${className ?? ""}`}
      aria-label="Edit message"
      title="Edit message"
      onClick={onClick}
    >
      <PencilIcon />
    </Button>
  );
}

/** The question in a text box: sending it starts a new branch, the old one stays. */
export function EditMessageForm({
  initial,
  onSubmit,
  onCancel,
}: {
  initial: string;
  onSubmit: (text: string) => void;
  onCancel: () => void;
}) {
  const [text, setText] = useState(initial);
  const id = useId();
  const trimmed = text.trim();
  function submit(e?: FormEvent) {
    e?.preventDefault();
    if (trimmed) onSubmit(trimmed);
  }
  return (
    <form
      aria-label="Edit message"
      className="flex w-full max-w-[85%] flex-col gap-2"
      onSubmit={submit}
    >
      <label htmlFor={id} className="sr-only">
        Edited message
      </label>
      <Textarea
        id={id}
        value={text}
        autoFocus
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Escape") {
            e.preventDefault();
            onCancel();
          } else if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
            submit();
            e.preventDefault();
          }
        }}
        className="max-h-60 min-h-20"
      />
      <p className="text-xs text-muted-foreground">
        Sending starts a new branch from here; the previous version stays available.
      </p>
      <div className="flex justify-end gap-2">
        <Button type="button" variant="ghost" size="sm" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" size="sm" disabled={!trimmed}>
          Send
        </Button>
      </div>
    </form>
  );
}
