"use client";

import { CheckIcon, ExternalLinkIcon, MessageCircleQuestionIcon, XIcon } from "lucide-react";
import { useContext, useId, useState, type FormEvent } from "react";
import { toast } from "@/components/ui/toast";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Input } from "@/components/ui/input";
import { ApiRequestError, errorMessage } from "@/lib/client/api";
import { answerElicitation, type ElicitationAnswerInput } from "@/lib/client/elicitation-queries";
import type { ElicitationPart } from "@/lib/client/types";
import { fieldsOf, type ElicitField } from "@/lib/mcp/elicitation-schema";
import { ApprovalActions } from "./approval-card";
import { timeLeft } from "./approval-logic";
import {
  initialValues,
  readElicitationForm,
  urlParts,
  type FormValue,
  type FormValues,
} from "./elicitation-logic";
import { useNow } from "./use-now";

const STATE_TEXT: Record<ElicitationPart["state"], string> = {
  pending: "Waiting for you",
  accepted: "Accepted",
  declined: "Declined",
  cancelled: "Cancelled",
  expired: "Expired: no answer in time",
};

const REASON_TEXT: Record<NonNullable<ElicitationPart["reason"]>, string> = {
  plan_mode:
    "Declined automatically: this server is not admitted in plan mode, so it may not ask during a plan-mode turn.",
  call_ended: "The tool call ended (stopped or cancelled by the server) before an answer.",
  turn_ended:
    "The tool call ended with its turn (the server restarted or stopped) before an answer.",
};

const INPUT_TYPE: Record<string, string> = { email: "email", uri: "url", date: "date" };

function FieldControl({
  field,
  value,
  problem,
  disabled,
  onChange,
}: {
  field: ElicitField;
  value: FormValue | undefined;
  problem: string | undefined;
  disabled: boolean;
  onChange: (value: FormValue) => void;
}) {
  const id = useId();
  const describedBy = [field.description ? `${id}-hint` : "", problem ? `${id}-problem` : ""]
    .filter(Boolean)
    .join(" ");
  const common = {
    id,
    disabled,
    "aria-invalid": problem ? true : undefined,
    "aria-describedby": describedBy || undefined,
    "aria-required": field.required || undefined,
  } as const;
  const label = (
    <>
      {field.label}
      {field.required ? <span className="text-muted-foreground"> (required)</span> : null}
    </>
  );
  let control: React.ReactNode;
  if (field.kind === "boolean") {
    control = (
      <div className="flex items-center gap-2">
        <Checkbox
          {...common}
          checked={value === true}
          onCheckedChange={(checked) => onChange(checked === true)}
        />
        <label htmlFor={id} className="text-sm">
          {label}
        </label>
      </div>
    );
  } else if (field.kind === "multi") {
    const chosen = Array.isArray(value) ? value : [];
    control = (
      <fieldset
        className="flex flex-col gap-1"
        aria-describedby={describedBy || undefined}
        aria-invalid={problem ? true : undefined}
      >
        <legend className="text-xs font-medium">{label}</legend>
        {field.options.map((o) => (
          <label key={o.value} className="flex items-center gap-2 text-sm">
            <Checkbox
              disabled={disabled}
              checked={chosen.includes(o.value)}
              onCheckedChange={(checked) =>
                onChange(
                  checked === true ? [...chosen, o.value] : chosen.filter((v) => v !== o.value),
                )
              }
            />
            {o.label}
          </label>
        ))}
      </fieldset>
    );
  } else {
    const text = typeof value === "string" ? value : "";
    control = (
      <>
        <label htmlFor={id} className="text-xs font-medium">
          {label}
        </label>
        {field.kind === "enum" ? (
          <select
            {...common}
            className="h-9 rounded-md border bg-transparent px-2 text-sm dark:bg-input/30"
            value={text}
            onChange={(e) => onChange(e.target.value)}
          >
            <option value="">(choose)</option>
            {field.options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        ) : field.kind === "string" ? (
          <Input
            {...common}
            type={(field.format && INPUT_TYPE[field.format]) ?? "text"}
            value={text}
            minLength={field.minLength}
            maxLength={field.maxLength}
            onChange={(e) => onChange(e.target.value)}
          />
        ) : (
          <Input
            {...common}
            type="number"
            inputMode={field.kind === "integer" ? "numeric" : "decimal"}
            step={field.kind === "integer" ? 1 : "any"}
            min={field.minimum}
            max={field.maximum}
            value={text}
            onChange={(e) => onChange(e.target.value)}
          />
        )}
      </>
    );
  }
  return (
    <div className="flex flex-col gap-1">
      {control}
      {field.description ? (
        <span id={`${id}-hint`} className="text-xs text-muted-foreground">
          {field.description}
        </span>
      ) : null}
      {problem ? (
        <span id={`${id}-problem`} className="text-xs text-destructive">
          {field.label} {problem}
        </span>
      ) : null}
    </div>
  );
}

/** The full URL, its host highlighted, and a link that opens it only when clicked. */
function UrlTarget({ url }: { url: string }) {
  const parts = urlParts(url);
  return (
    <div className="flex flex-col gap-2">
      <p className="text-xs text-muted-foreground">
        The page is on{" "}
        <strong className="text-foreground" data-testid="elicitation-domain">
          {parts?.host ?? "an unknown site"}
        </strong>
        . Check the address before you open it:
      </p>
      <code className="block rounded bg-muted p-2 text-xs break-all" data-testid="elicitation-url">
        {parts ? (
          <>
            <span className="text-muted-foreground">{parts.before}</span>
            <mark className="rounded bg-amber-300/60 px-0.5 font-semibold text-foreground dark:bg-amber-500/40">
              {parts.host}
            </mark>
            <span className="text-muted-foreground">{parts.after}</span>
          </>
        ) : (
          url
        )}
      </code>
    </div>
  );
}

/**
 * An MCP server's question during a tool call: who asks, what, and the form (or the page to
 * open). Accept, Decline and Cancel are always offered while it waits; afterwards the card
 * shows the answer's state.
 */
export function ElicitationCard({ part }: { part: ElicitationPart }) {
  const actions = useContext(ApprovalActions);
  const titleId = useId();
  const [answered, setAnswered] = useState<ElicitationPart | null>(null);
  const shown = answered && part.state === "pending" ? answered : part;
  const pending = shown.state === "pending" && actions !== null;
  const now = useNow(pending);
  const fields = part.mode === "form" ? fieldsOf(part.requested_schema) : null;
  const [values, setValues] = useState<FormValues>(() => (fields ? initialValues(fields) : {}));
  const [problems, setProblems] = useState<{ field: string; detail: string }[]>([]);
  const [busy, setBusy] = useState(false);

  async function send(answer: ElicitationAnswerInput) {
    if (!actions) return;
    setBusy(true);
    try {
      const result = await answerElicitation(actions.chatId, part.elicitation_id, answer);
      setAnswered({ ...part, ...result, type: "elicitation" });
    } catch (err) {
      if (err instanceof ApiRequestError && err.code === "elicitation.invalid_content") {
        setProblems(err.validations.map((v) => ({ field: v.field, detail: v.detail })));
      } else {
        toast.error(errorMessage(err));
      }
    } finally {
      setBusy(false);
    }
  }

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (part.mode === "url") return void send({ action: "accept" });
    if (!fields) return;
    const read = readElicitationForm(fields, values);
    if (!read.ok) {
      setProblems(read.problems);
      return;
    }
    setProblems([]);
    void send({ action: "accept", content: read.content });
  };

  const general = problems.filter((p) => !fields?.some((f) => f.name === p.field));
  return (
    <section
      aria-labelledby={titleId}
      data-testid="elicitation-card"
      data-state={shown.state}
      className="flex flex-col gap-3 rounded-lg border border-sky-500/40 bg-sky-500/5 p-4 text-sm"
    >
      <header className="flex flex-wrap items-center gap-2">
        <MessageCircleQuestionIcon aria-hidden="true" className="size-4 text-sky-600" />
        <h3 id={titleId} className="font-medium">
          {part.server_name}{" "}
          {part.mode === "url" ? "asks you to open a page" : "asks for information"}
        </h3>
        <Badge variant={shown.state === "pending" ? "outline" : "secondary"}>
          {STATE_TEXT[shown.state]}
        </Badge>
        {pending ? (
          // The server's clock rendered it on a reload; the next tick shows the browser's.
          <span className="text-xs text-muted-foreground" suppressHydrationWarning>
            {timeLeft(part.expires_at, now)}
          </span>
        ) : null}
      </header>
      <p className="break-words whitespace-pre-wrap">{part.message}</p>
      {part.mode === "url" && part.url ? <UrlTarget url={part.url} /> : null}
      {shown.reason ? (
        <p className="text-xs text-muted-foreground">{REASON_TEXT[shown.reason]}</p>
      ) : null}
      {pending ? (
        <form
          onSubmit={onSubmit}
          noValidate
          className="flex flex-col gap-3"
          aria-label={`Answer to ${part.server_name}`}
        >
          {fields && fields.length > 0 ? (
            <div className="flex flex-col gap-3">
              {fields.map((f) => (
                <FieldControl
                  key={f.name}
                  field={f}
                  value={values[f.name]}
                  problem={problems.find((p) => p.field === f.name)?.detail}
                  disabled={busy}
                  onChange={(v) => setValues((old) => ({ ...old, [f.name]: v }))}
                />
              ))}
            </div>
          ) : null}
          {part.mode === "form" && !fields ? (
            <p className="text-xs text-destructive">
              This form cannot be shown; decline or cancel it.
            </p>
          ) : null}
          {general.length > 0 ? (
            <ul role="alert" className="list-disc pl-5 text-xs text-destructive">
              {general.map((p) => (
                <li key={`${p.field}:${p.detail}`}>
                  {p.field} {p.detail}
                </li>
              ))}
            </ul>
          ) : null}
          <div className="flex flex-wrap gap-2">
            {part.mode === "url" && part.url ? (
              <Button asChild size="sm" variant="outline">
                <a
                  href={part.url}
                  target="_blank"
                  rel="noopener noreferrer"
                  referrerPolicy="no-referrer"
                >
                  <ExternalLinkIcon aria-hidden="true" />
                  Open {urlParts(part.url)?.host ?? "page"}
                </a>
              </Button>
            ) : null}
            <Button type="submit" size="sm" disabled={busy || (part.mode === "form" && !fields)}>
              <CheckIcon aria-hidden="true" />
              Accept
            </Button>
            <Button
              type="button"
              size="sm"
              variant="outline"
              disabled={busy}
              onClick={() => void send({ action: "decline" })}
            >
              <XIcon aria-hidden="true" />
              Decline
            </Button>
            <Button
              type="button"
              size="sm"
              variant="ghost"
              disabled={busy}
              onClick={() => void send({ action: "cancel" })}
            >
              Cancel
            </Button>
          </div>
        </form>
      ) : null}
    </section>
  );
}
