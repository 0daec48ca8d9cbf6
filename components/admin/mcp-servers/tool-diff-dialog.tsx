"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { toast } from "@/components/ui/toast";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { ButtonSpinner } from "@/components/ui/spinner";
import { errorMessage } from "@/lib/client/api";
import { updateServerToolMutation, type McpServerTool } from "@/lib/client/mcp-tool-queries";
import { cn } from "@/lib/utils";
import { definitionDiff, type DiffRow } from "./tools-tab-logic";

const CELL: Record<DiffRow["kind"], { left: string; right: string }> = {
  same: { left: "", right: "" },
  changed: {
    left: "bg-red-50 dark:bg-red-950/40",
    right: "bg-green-50 dark:bg-green-950/40",
  },
  removed: { left: "bg-red-50 dark:bg-red-950/40", right: "" },
  added: { left: "", right: "bg-green-50 dark:bg-green-950/40" },
};

function Side({ rows, side, label }: { rows: DiffRow[]; side: "left" | "right"; label: string }) {
  return (
    <pre
      role="group"
      aria-label={label}
      className="max-h-64 overflow-auto rounded-md border bg-muted/30 p-2 font-mono text-xs whitespace-pre-wrap"
    >
      {rows.map((row, i) => (
        <div key={i} className={cn("min-h-4", CELL[row.kind][side])}>
          {row[side] ?? ""}
        </div>
      ))}
    </pre>
  );
}

/**
 * A changed tool's approved and new definitions side by side. Approving sends the hash of the
 * definition shown here: if the server changed it again meanwhile, the approval is refused.
 */
export function ToolDiffDialog({
  serverId,
  tool,
  onOpenChange,
}: {
  serverId: string;
  tool: McpServerTool | null;
  onOpenChange: (open: boolean) => void;
}) {
  const qc = useQueryClient();
  const approve = useMutation(updateServerToolMutation(qc, serverId));
  const sections = tool ? definitionDiff(tool) : [];
  return (
    <Dialog open={tool !== null} onOpenChange={onOpenChange}>
      <DialogContent className="sm:max-w-4xl">
        <DialogHeader>
          <DialogTitle>Review change: {tool?.name}</DialogTitle>
          <DialogDescription>
            The server changed this tool&apos;s definition. Until you approve the new one, the tool
            is neither offered nor callable. Read the new description as the model would: it is
            instructions from the server.
          </DialogDescription>
        </DialogHeader>
        <div className="flex max-h-[60vh] flex-col gap-4 overflow-y-auto">
          {sections
            .filter((s) => s.changed || s.label === "Description")
            .map((section) => (
              <section key={section.label} className="flex flex-col gap-1">
                <h3 className="text-sm font-medium">
                  {section.label}
                  {section.changed ? null : (
                    <span className="ml-2 text-xs font-normal text-muted-foreground">
                      (unchanged)
                    </span>
                  )}
                </h3>
                <div className="grid grid-cols-2 gap-2">
                  <Side rows={section.rows} side="left" label={`${section.label}, approved`} />
                  <Side rows={section.rows} side="right" label={`${section.label}, new`} />
                </div>
              </section>
            ))}
          <p className="text-xs text-muted-foreground">
            Left: the approved definition. Right: what the server lists now (
            <code className="break-all">{tool?.definition_hash}</code>).
          </p>
        </div>
        {approve.error ? (
          <p role="alert" className="text-sm text-destructive">
            {errorMessage(approve.error)}
          </p>
        ) : null}
        <DialogFooter>
          <Button variant="outline" onClick={() => onOpenChange(false)}>
            Keep held
          </Button>
          <Button
            disabled={approve.isPending || !tool}
            aria-busy={approve.isPending || undefined}
            onClick={() =>
              tool &&
              approve.mutate(
                { name: tool.name, patch: { approve_hash: tool.definition_hash } },
                {
                  onSuccess: () => {
                    toast.success(`Approved the new definition of ${tool.name}`);
                    onOpenChange(false);
                  },
                },
              )
            }
          >
            {approve.isPending ? <ButtonSpinner /> : null}
            Approve new definition
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
