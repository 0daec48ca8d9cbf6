"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { FileQuestionIcon, FolderTreeIcon, NotebookPenIcon, RefreshCwIcon } from "lucide-react";
import { useState } from "react";
import { CodeBlock } from "@/components/chat/code-block";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import {
  Sheet,
  SheetContent,
  SheetDescription,
  SheetHeader,
  SheetTitle,
  SheetTrigger,
} from "@/components/ui/sheet";
import { Skeleton } from "@/components/ui/skeleton";
import { planFilePath } from "@/lib/chat/plan-file";
import { ApiRequestError } from "@/lib/client/api";
import { workspaceFileQuery } from "@/lib/client/workspace-queries";
import { fileLanguage, formatBytes } from "./file-language";
import { DirectoryList, fileProblemText } from "./workspace-file-tree";

/** A read-only look at the chat's workspace: a tree, a viewer, and the chat's plan file. */
export function WorkspaceFilesSheet({
  workspaceId,
  chatId,
}: {
  workspaceId: string;
  chatId: string;
}) {
  const qc = useQueryClient();
  const [selected, setSelected] = useState<string | null>(null);
  const planPath = planFilePath(chatId);
  return (
    <Sheet>
      <SheetTrigger asChild>
        <Button variant="ghost" size="sm" aria-label="Workspace files" title="Workspace files">
          <FolderTreeIcon aria-hidden="true" />
          <span className="hidden sm:inline">Files</span>
        </Button>
      </SheetTrigger>
      <SheetContent side="right" className="flex w-full flex-col gap-0 sm:max-w-4xl">
        <SheetHeader className="border-b">
          <SheetTitle>Workspace files</SheetTitle>
          <SheetDescription>Read-only. The plan of this chat is marked “Plan”.</SheetDescription>
        </SheetHeader>
        <div className="grid min-h-0 flex-1 grid-rows-[minmax(8rem,40%)_1fr] md:grid-cols-[18rem_1fr] md:grid-rows-1">
          <nav
            aria-label="Workspace file tree"
            className="flex min-h-0 flex-col gap-2 overflow-y-auto border-b p-3 md:border-r md:border-b-0"
          >
            <div className="flex flex-wrap gap-1">
              <Button
                variant="outline"
                size="sm"
                aria-pressed={selected === planPath}
                onClick={() => setSelected(planPath)}
              >
                <NotebookPenIcon aria-hidden="true" />
                Plan of this chat
              </Button>
              <Button
                variant="ghost"
                size="sm"
                onClick={() =>
                  void qc.invalidateQueries({ queryKey: ["workspaces", "files", workspaceId] })
                }
              >
                <RefreshCwIcon aria-hidden="true" />
                Refresh files
              </Button>
            </div>
            <DirectoryList
              path="."
              depth={0}
              workspaceId={workspaceId}
              selected={selected}
              planPath={planPath}
              onSelect={setSelected}
            />
          </nav>
          <section aria-label="File viewer" className="min-h-0 overflow-y-auto p-3">
            {selected ? (
              <FileViewer
                workspaceId={workspaceId}
                path={selected}
                isPlan={selected === planPath}
              />
            ) : (
              <EmptyState
                icon={<FileQuestionIcon />}
                title="No file open"
                description="Pick a file in the tree to read it here."
              />
            )}
          </section>
        </div>
      </SheetContent>
    </Sheet>
  );
}

function FileViewer({
  workspaceId,
  path,
  isPlan,
}: {
  workspaceId: string;
  path: string;
  isPlan: boolean;
}) {
  const file = useQuery(workspaceFileQuery(workspaceId, path));
  const code = file.error instanceof ApiRequestError ? file.error.code : undefined;
  return (
    <div className="flex flex-col gap-2">
      <h3 className="flex items-center gap-2 font-mono text-sm break-all">
        {path}
        {isPlan ? (
          <span className="rounded bg-amber-100 px-1 font-sans text-[10px] font-medium text-amber-800 uppercase dark:bg-amber-950 dark:text-amber-300">
            Plan
          </span>
        ) : null}
      </h3>
      {file.isPending ? (
        <div
          role="status"
          aria-busy="true"
          aria-label={`Loading ${path}`}
          className="flex flex-col gap-2"
        >
          <Skeleton className="h-4 w-2/3" />
          <Skeleton className="h-40 w-full" />
        </div>
      ) : file.isError ? (
        code === "workspace.binary_file" ? (
          <p role="status" className="text-sm text-muted-foreground">
            This looks like a binary file, so it is not shown here.
          </p>
        ) : code === "workspace.not_found" && isPlan ? (
          <p role="status" className="text-sm text-muted-foreground">
            This chat has no plan yet. A plan-mode turn writes it here.
          </p>
        ) : (
          <Alert variant="destructive" role="alert">
            <AlertDescription>{fileProblemText(file.error)}</AlertDescription>
          </Alert>
        )
      ) : (
        <>
          <p className="text-xs text-muted-foreground">{formatBytes(file.data.size)}</p>
          {file.data.truncated ? (
            <Alert role="status">
              <AlertDescription>
                Showing the first {formatBytes(new TextEncoder().encode(file.data.content).length)}{" "}
                of {formatBytes(file.data.size)}: the viewer stops at 256 KB.
              </AlertDescription>
            </Alert>
          ) : null}
          <CodeBlock code={file.data.content} info={fileLanguage(path) || undefined} />
        </>
      )}
    </div>
  );
}
