"use client";

import { HammerIcon, NotebookPenIcon } from "lucide-react";
import { useId } from "react";
import { Button } from "@/components/ui/button";
import { Markdown } from "./markdown";

/** The follow-up "Implement plan" sends: a normal turn (not plan mode) in the same chat. */
export const IMPLEMENT_PLAN_MESSAGE = "Implement the plan.";

/**
 * A plan proposed with propose_plan: its Markdown, where it lives in the workspace, and, on the
 * latest answer, the action that leaves plan mode and asks for the implementation.
 */
export function PlanCard({
  path,
  content,
  onImplement,
}: {
  path: string;
  content: string;
  /** Absent when this is not the latest answer or a turn is running. */
  onImplement?: () => void;
}) {
  const titleId = useId();
  return (
    <section
      aria-labelledby={titleId}
      className="flex flex-col gap-3 rounded-lg border bg-card p-4"
    >
      <header className="flex flex-wrap items-center gap-2 text-xs text-muted-foreground">
        <NotebookPenIcon aria-hidden="true" className="size-4" />
        <h3 id={titleId} className="font-medium text-foreground">
          Proposed plan
        </h3>
        <code className="truncate font-mono" title={path}>
          {path}
        </code>
      </header>
      <div className="max-h-[32rem] overflow-y-auto">
        <Markdown text={content} />
      </div>
      {onImplement ? (
        <div className="flex flex-wrap items-center gap-2 border-t pt-3">
          <Button type="button" size="sm" onClick={onImplement}>
            <HammerIcon aria-hidden="true" />
            Implement plan
          </Button>
          <p className="text-xs text-muted-foreground">
            Leaves plan mode and asks the assistant to carry out this plan. To change it, reply with
            your feedback instead.
          </p>
        </div>
      ) : null}
    </section>
  );
}
