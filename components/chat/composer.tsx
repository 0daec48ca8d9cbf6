"use client";

import { ArrowUpIcon, SquareIcon } from "lucide-react";
import {
  useEffect,
  useEffectEvent,
  useId,
  useRef,
  useState,
  type FormEvent,
  type KeyboardEvent,
  type ReactNode,
} from "react";
import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/label";
import { ButtonSpinner } from "@/components/ui/spinner";
import { Switch } from "@/components/ui/switch";
import { cn } from "@/lib/utils";

export function PlanModeSwitch({
  checked,
  onCheckedChange,
  hintId,
  disabled = false,
}: {
  checked: boolean;
  onCheckedChange: (on: boolean) => void;
  hintId: string;
  disabled?: boolean;
}) {
  const id = useId();
  return (
    <div className="flex items-center gap-2 px-2">
      <Switch
        id={id}
        checked={checked}
        onCheckedChange={onCheckedChange}
        aria-describedby={hintId}
        disabled={disabled}
      />
      <Label htmlFor={id} className="text-xs font-normal text-muted-foreground">
        Plan mode
      </Label>
    </div>
  );
}

/**
 * The message box: Enter sends, Shift+Enter starts a new line; while a turn runs the send
 * button becomes a stop button. The toolbar (servers, model, plan mode) comes from the caller.
 * Enter while a turn runs queues the message until the turn ends (Escape or Stop drops it):
 * an Enter pressed as the last words arrive would otherwise be lost.
 */
export function Composer({
  value,
  onValueChange,
  onSend,
  onStop,
  busy,
  stopping = false,
  sending = false,
  disabled = false,
  toolbar,
  planMode,
  planHintId,
  planNote,
  placeholder = "Ask anything…",
  autoFocus = false,
}: {
  value: string;
  onValueChange: (value: string) => void;
  onSend: (text: string) => void;
  onStop?: () => void;
  /** A turn is running: show the stop button instead of send. */
  busy: boolean;
  stopping?: boolean;
  /** The message is on its way (e.g. the chat is being created). */
  sending?: boolean;
  disabled?: boolean;
  toolbar?: ReactNode;
  planMode: boolean;
  planHintId: string;
  /** In plan mode, which MCP servers the plan turn will use. */
  planNote?: string;
  placeholder?: string;
  autoFocus?: boolean;
}) {
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const hintId = useId();
  const [queued, setQueued] = useState(false);
  const canSend = !busy && !sending && !disabled && value.trim().length > 0;
  const queuedNow = queued && value.trim().length > 0;

  function submit(event?: FormEvent) {
    event?.preventDefault();
    if (busy && !disabled && value.trim()) {
      setQueued(true);
      return;
    }
    if (!canSend) return;
    onSend(value.trim());
    textareaRef.current?.focus();
  }

  // The turn ended (finished, stopped or failed): send what was queued, as it reads now.
  const sendQueued = useEffectEvent(() => {
    setQueued(false);
    if (value.trim() && !sending && !disabled) onSend(value.trim());
  });
  useEffect(() => {
    // The end of the turn comes from the stream, outside React: act on it once, here.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    if (!busy && queued) sendQueued();
  }, [busy, queued]);

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    // isComposing: Enter confirms an IME candidate, it must not send half a word.
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    } else if (event.key === "Escape" && queued) {
      event.preventDefault();
      setQueued(false);
    }
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-1.5">
      <div
        className={cn(
          "flex flex-col rounded-2xl border bg-background shadow-sm transition-[color,box-shadow] focus-within:border-ring focus-within:ring-[3px] focus-within:ring-ring/50 dark:bg-input/30",
          planMode && "border-amber-500/60",
        )}
      >
        <textarea
          ref={textareaRef}
          aria-label="Message"
          aria-describedby={queuedNow ? hintId : undefined}
          value={value}
          onChange={(e) => onValueChange(e.target.value)}
          onKeyDown={onKeyDown}
          placeholder={placeholder}
          disabled={disabled}
          autoFocus={autoFocus}
          rows={1}
          className="field-sizing-content max-h-60 min-h-14 w-full resize-none bg-transparent px-4 pt-3 pb-1 text-base outline-none placeholder:text-muted-foreground disabled:cursor-not-allowed md:text-sm"
        />
        <div className="flex flex-wrap items-center gap-1 px-2 pb-2">
          {toolbar}
          <div className="ml-auto">
            {busy ? (
              <Button
                type="button"
                size="icon"
                variant="secondary"
                className="size-8 rounded-full"
                aria-label="Stop generating"
                aria-busy={stopping || undefined}
                disabled={stopping}
                onClick={() => {
                  setQueued(false);
                  onStop?.();
                }}
              >
                {stopping ? <ButtonSpinner /> : <SquareIcon className="size-3 fill-current" />}
              </Button>
            ) : (
              <Button
                type="submit"
                size="icon"
                className="size-8 rounded-full"
                aria-label="Send message"
                aria-busy={sending || undefined}
                disabled={!canSend}
              >
                {sending ? <ButtonSpinner /> : <ArrowUpIcon />}
              </Button>
            )}
          </div>
        </div>
      </div>
      <p
        id={hintId}
        aria-live="polite"
        className={queuedNow ? "px-2 text-xs text-muted-foreground" : "sr-only"}
      >
        {queuedNow
          ? "Your message will be sent when the answer finishes. Press Escape to keep it here instead."
          : ""}
      </p>
      {planMode && planNote ? (
        <p
          aria-live="polite"
          className="px-2 text-xs font-medium text-amber-800 dark:text-amber-300"
        >
          {planNote}
        </p>
      ) : null}
      <p
        id={planHintId}
        className={planMode ? "px-2 text-xs text-amber-700 dark:text-amber-400" : "sr-only"}
      >
        Plan mode: the model writes files only to the chat&apos;s plan file. Workspace commands run
        in an OS sandbox, read-only except the plan file and with no network; the workspace&apos;s{" "}
        <code>.mcp.json</code> tools are off. MCP tools an admin approved for planning still run as
        usual, so they can act on the systems they connect to.
      </p>
    </form>
  );
}
