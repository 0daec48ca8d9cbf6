"use client";

import { CheckIcon, ShieldQuestionIcon, XIcon } from "lucide-react";
import { createContext, useContext, useId, useState, type FormEvent } from "react";
import { toast } from "@/components/ui/toast";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import { ApiRequestError, errorMessage } from "@/lib/client/api";
import { answerApproval, type ApprovalAnswerInput } from "@/lib/client/approval-queries";
import type { ApprovalPart, McpServerConfig } from "@/lib/client/types";
import {
  formFields,
  formValues,
  readForm,
  readJson,
  timeLeft,
  type ArgField,
  type Parsed,
} from "./approval-logic";
import { useNow } from "./use-now";

/** The open chat and what to do once an answer was taken (follow the resumed turn). */
export const ApprovalActions = createContext<{ chatId: string; onAnswered: () => void } | null>(
  null,
);

/** An approval part of a message, answerable when the chat's actions are provided. */
export function ApprovalPartView({
  part,
  servers,
}: {
  part: ApprovalPart;
  servers: readonly McpServerConfig[];
}) {
  const actions = useContext(ApprovalActions);
  return (
    <ApprovalCard
      part={part}
      chatId={actions?.chatId ?? ""}
      servers={servers}
      {...(actions && { onAnswered: actions.onAnswered })}
    />
  );
}

const STATE_TEXT: Record<ApprovalPart["state"], string> = {
  pending: "Waiting for you",
  approved: "Approved",
  denied: "Declined",
  expired: "Expired: no answer in time",
};

function ArgInput({
  field,
  value,
  problem,
  disabled,
  onChange,
}: {
  field: ArgField;
  value: string;
  problem?: string | undefined;
  disabled: boolean;
  onChange: (value: string) => void;
}) {
  const id = useId();
  const problemId = `${id}-problem`;
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-xs font-medium">
        <code>{field.name}</code>
        {field.required ? <span className="text-muted-foreground"> (required)</span> : null}
      </label>
      {field.kind === "boolean" ? (
        <select
          id={id}
          className="h-9 rounded-md border bg-transparent px-2 text-sm"
          value={value}
          disabled={disabled}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? problemId : undefined}
          onChange={(e) => onChange(e.target.value)}
        >
          <option value="">(not set)</option>
          <option value="true">true</option>
          <option value="false">false</option>
        </select>
      ) : (
        <Input
          id={id}
          value={value}
          inputMode={field.kind === "string" ? undefined : "decimal"}
          disabled={disabled}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? problemId : undefined}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
      {field.description ? (
        <span className="text-xs text-muted-foreground">{field.description}</span>
      ) : null}
      {problem ? (
        <span id={problemId} className="text-xs text-destructive">
          {field.name} {problem}
        </span>
      ) : null}
    </div>
  );
}

/**
 * A paused tool call: who asks (server and tool), why (the model's intent), with what (the
 * arguments, editable), and the person's answer. Once answered it shows the decision only.
 */
export function ApprovalCard({
  part,
  chatId,
  servers,
  onAnswered,
}: {
  part: ApprovalPart;
  chatId: string;
  servers: readonly McpServerConfig[];
  /** Called after the server took the answer: the turn resumes, follow its stream. */
  onAnswered?: () => void;
}) {
  const titleId = useId();
  const [answered, setAnswered] = useState<ApprovalPart | null>(null);
  const shown = answered && part.state === "pending" ? answered : part;
  const pending = shown.state === "pending";
  const now = useNow(pending);
  const fields = formFields(part.input_schema);
  const [values, setValues] = useState(() => (fields ? formValues(fields, part.input) : {}));
  const [json, setJson] = useState(() => JSON.stringify(part.input, null, 2));
  const [problems, setProblems] = useState<{ field: string; detail: string }[]>([]);
  const [busy, setBusy] = useState(false);
  const server = servers.find((s) => s.id === part.server_id);
  const expired = pending && timeLeft(part.expires_at, now) === "expired";

  async function send(answer: ApprovalAnswerInput) {
    setBusy(true);
    try {
      const result = await answerApproval(chatId, part.approval_id, answer);
      setAnswered({ ...part, ...result, type: "approval" });
      onAnswered?.();
    } catch (err) {
      if (err instanceof ApiRequestError && err.code === "approval.invalid_input") {
        setProblems(err.validations.map((v) => ({ field: "input", detail: v.detail })));
      } else {
        toast.error(errorMessage(err));
        if (err instanceof ApiRequestError && err.status === 409) onAnswered?.();
      }
    } finally {
      setBusy(false);
    }
  }

  function approve(remember: "once" | "chat_1h") {
    const parsed: Parsed = fields ? readForm(fields, values) : readJson(part.input_schema, json);
    if (!parsed.ok) {
      setProblems(parsed.problems);
      return;
    }
    setProblems([]);
    const edited = JSON.stringify(parsed.input) !== JSON.stringify(part.input);
    void send({ decision: "approve", remember, ...(edited && { input: parsed.input }) });
  }

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    approve("once");
  };

  const ranWith = shown.approved_input;
  return (
    <section
      aria-labelledby={titleId}
      data-testid="approval-card"
      data-state={shown.state}
      className="flex flex-col gap-3 rounded-lg border border-amber-500/40 bg-amber-500/5 p-4 text-sm"
    >
      <header className="flex flex-wrap items-center gap-2">
        <ShieldQuestionIcon aria-hidden="true" className="size-4 text-amber-600" />
        <h3 id={titleId} className="font-medium">
          Run <code>{part.tool_name}</code>
          {server ? <> on {server.display_name}</> : null}?
        </h3>
        <Badge variant={pending ? "outline" : "secondary"}>{STATE_TEXT[shown.state]}</Badge>
        {pending ? (
          // The server's clock rendered it on a reload; the next tick shows the browser's.
          <span className="text-xs text-muted-foreground" suppressHydrationWarning>
            {timeLeft(part.expires_at, now)}
          </span>
        ) : null}
      </header>
      {part.model_intent ? (
        <p>
          <span className="text-muted-foreground">The model says: </span>
          {part.model_intent}
        </p>
      ) : null}
      {pending && !expired ? (
        <form onSubmit={onSubmit} className="flex flex-col gap-3" aria-label="Arguments">
          {fields ? (
            <fieldset className="flex flex-col gap-2">
              <legend className="mb-1 text-xs text-muted-foreground">
                Arguments (you may edit them before approving)
              </legend>
              {fields.map((f) => (
                <ArgInput
                  key={f.name}
                  field={f}
                  value={values[f.name] ?? ""}
                  problem={problems.find((p) => p.field === f.name)?.detail}
                  disabled={busy}
                  onChange={(v) => setValues((old) => ({ ...old, [f.name]: v }))}
                />
              ))}
            </fieldset>
          ) : (
            <label className="flex flex-col gap-1">
              <span className="text-xs text-muted-foreground">
                Arguments as JSON (you may edit them before approving)
              </span>
              <Textarea
                value={json}
                disabled={busy}
                className="font-mono text-xs"
                aria-invalid={problems.length > 0 ? true : undefined}
                onChange={(e) => setJson(e.target.value)}
              />
            </label>
          )}
          {problems.some(
            (p) => !fields || p.field === "input" || !fields.some((f) => f.name === p.field),
          ) ? (
            <ul role="alert" className="list-disc pl-5 text-xs text-destructive">
              {problems.map((p) => (
                <li key={`${p.field}:${p.detail}`}>
                  {p.field === "input" ? p.detail : `${p.field} ${p.detail}`}
                </li>
              ))}
            </ul>
          ) : null}
          <div className="flex flex-wrap gap-2">
            <Button type="submit" size="sm" disabled={busy}>
              <CheckIcon aria-hidden="true" />
              Approve
            </Button>
            <Button
              type="button"
              size="sm"
              variant="outline"
              disabled={busy}
              onClick={() => void send({ decision: "deny" })}
            >
              <XIcon aria-hidden="true" />
              Deny
            </Button>
            <Button
              type="button"
              size="sm"
              variant="ghost"
              disabled={busy}
              onClick={() => approve("chat_1h")}
            >
              Allow this tool in this chat for 1 hour
            </Button>
          </div>
        </form>
      ) : (
        <details>
          <summary className="cursor-pointer text-xs text-muted-foreground">
            {ranWith ? "Arguments (edited before approval)" : "Arguments"}
          </summary>
          <pre className="mt-2 overflow-x-auto rounded bg-muted p-2 text-xs">
            {JSON.stringify(ranWith ?? part.input, null, 2)}
          </pre>
        </details>
      )}
    </section>
  );
}
