"use client";

import { ClipboardListIcon } from "lucide-react";
import { useId, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { cn } from "@/lib/utils";
import {
  answerProblems,
  emptyAnswer,
  formatAnswers,
  toggleChoice,
  type QuestionAnswer,
  type UserQuestion,
} from "./question-logic";

const choiceClass =
  "flex cursor-pointer items-start gap-2 rounded-md border px-3 py-2 text-sm has-[:checked]:border-primary has-[:checked]:bg-primary/5 has-[:disabled]:cursor-default";
const inputClass = "mt-0.5 size-4 shrink-0 accent-primary";

function QuestionFieldset({
  question,
  index,
  answer,
  problem,
  disabled,
  onChange,
}: {
  question: UserQuestion;
  index: number;
  answer: QuestionAnswer;
  problem: string | null;
  disabled: boolean;
  onChange: (answer: QuestionAnswer) => void;
}) {
  const name = useId();
  const problemId = `${name}-problem`;
  const type = question.multi_select ? "checkbox" : "radio";
  const pick = (choice: string | null) => onChange(toggleChoice(answer, question, choice));
  return (
    <fieldset
      className="flex flex-col gap-2"
      aria-describedby={problem ? problemId : undefined}
      aria-invalid={problem ? true : undefined}
    >
      <legend className="mb-1 flex flex-col gap-0.5">
        {question.header ? (
          <span className="text-xs font-medium tracking-wide text-muted-foreground uppercase">
            {question.header}
          </span>
        ) : null}
        <span className="font-medium">{question.question}</span>
        {question.multi_select ? (
          <span className="text-xs text-muted-foreground">Choose all that apply.</span>
        ) : null}
      </legend>
      {question.options.map((option) => (
        <label key={option.label} className={choiceClass}>
          <input
            type={type}
            name={`${name}-q${index}`}
            className={inputClass}
            checked={answer.selected.includes(option.label)}
            disabled={disabled}
            onChange={() => pick(option.label)}
          />
          <span className="flex flex-col">
            <span>{option.label}</span>
            {option.description ? (
              <span className="text-xs text-muted-foreground">{option.description}</span>
            ) : null}
          </span>
        </label>
      ))}
      <label className={choiceClass}>
        <input
          type={type}
          name={`${name}-q${index}`}
          className={inputClass}
          checked={answer.other !== null}
          disabled={disabled}
          onChange={() => pick(null)}
        />
        <span>Other</span>
      </label>
      {answer.other !== null ? (
        <Input
          aria-label={`Your answer: ${question.question}`}
          value={answer.other}
          disabled={disabled}
          maxLength={2000}
          placeholder="Type your answer"
          onChange={(e) => onChange({ ...answer, other: e.target.value })}
          autoFocus
        />
      ) : null}
      {problem ? (
        <p id={problemId} role="alert" className="text-sm font-medium text-destructive">
          {problem}
        </p>
      ) : null}
    </fieldset>
  );
}

/**
 * The questions of ask_user_question as a form: one group per question with an "Other"
 * free-text choice. Submitting sends the answers as the next user message. On older answers
 * (or while a turn runs) the form is shown read-only.
 */
export function QuestionForm({
  questions,
  onAnswer,
}: {
  questions: readonly UserQuestion[];
  /** Absent when the questions can no longer be answered here. */
  onAnswer?: (text: string) => void;
}) {
  const titleId = useId();
  const [answers, setAnswers] = useState<QuestionAnswer[]>(() => questions.map(emptyAnswer));
  const [checked, setChecked] = useState(false);
  const problems = answerProblems(answers);
  const disabled = !onAnswer;

  function submit(event: FormEvent) {
    event.preventDefault();
    setChecked(true);
    if (!onAnswer || problems.some((p) => p !== null)) return;
    onAnswer(formatAnswers(questions, answers));
  }

  return (
    <form
      aria-labelledby={titleId}
      onSubmit={submit}
      noValidate
      className={cn("flex flex-col gap-4 rounded-lg border bg-card p-4", disabled && "opacity-80")}
    >
      <h3 id={titleId} className="flex items-center gap-2 text-sm font-medium">
        <ClipboardListIcon aria-hidden="true" className="size-4 text-muted-foreground" />
        {questions.length === 1 ? "A question for you" : `${questions.length} questions for you`}
      </h3>
      {questions.map((q, i) => (
        <QuestionFieldset
          key={i}
          question={q}
          index={i}
          answer={answers[i] ?? emptyAnswer()}
          problem={checked ? (problems[i] ?? null) : null}
          disabled={disabled}
          onChange={(next) => setAnswers((all) => all.map((a, j) => (j === i ? next : a)))}
        />
      ))}
      {onAnswer ? (
        <div>
          <Button type="submit" size="sm">
            Submit answers
          </Button>
        </div>
      ) : (
        <p className="text-xs text-muted-foreground">
          Answered in a later message, or no longer open.
        </p>
      )}
    </form>
  );
}
