"use client";

import { useQuery } from "@tanstack/react-query";
import {
  ChevronRightIcon,
  FileIcon,
  FileSymlinkIcon,
  FolderIcon,
  FolderOpenIcon,
  NotebookPenIcon,
} from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { ApiRequestError, errorMessage } from "@/lib/client/api";
import { workspaceDirQuery, type WorkspaceFileEntry } from "@/lib/client/workspace-queries";
import { cn } from "@/lib/utils";
import { formatBytes } from "./file-language";

interface TreeProps {
  workspaceId: string;
  selected: string | null;
  planPath: string;
  onSelect: (path: string) => void;
}

/** Why a directory did not load, in words for the person looking at it. */
export function fileProblemText(err: unknown): string {
  if (err instanceof ApiRequestError && err.code === "workspace.not_running") {
    return "The workspace is stopped. Start it to browse its files.";
  }
  return errorMessage(err);
}

/** One directory's entries; sub-directories load when opened. */
export function DirectoryList({
  path,
  depth,
  ...tree
}: TreeProps & { path: string; depth: number }) {
  const dir = useQuery(workspaceDirQuery(tree.workspaceId, path));
  const label = path === "." ? "the workspace" : path;
  if (dir.isPending) {
    return (
      <div
        role="status"
        aria-busy="true"
        aria-label={`Loading ${label}`}
        className="flex flex-col gap-1 py-1"
      >
        <Skeleton className="h-5 w-3/4" />
        <Skeleton className="h-5 w-1/2" />
      </div>
    );
  }
  if (dir.isError) {
    return (
      <div role="alert" className="flex flex-col items-start gap-1 py-1 text-sm">
        <p className="text-destructive">{fileProblemText(dir.error)}</p>
        <Button variant="outline" size="sm" onClick={() => void dir.refetch()}>
          Try again
        </Button>
      </div>
    );
  }
  if (dir.data.entries.length === 0) {
    return (
      <p className="py-1 text-sm text-muted-foreground" style={{ paddingLeft: depth * 12 }}>
        {path === "." ? "The workspace is empty." : "Empty folder"}
      </p>
    );
  }
  return (
    <ul aria-label={depth === 0 ? "Workspace files" : `Files in ${path}`}>
      {dir.data.entries.map((entry) => (
        <EntryRow key={entry.path} entry={entry} depth={depth} {...tree} />
      ))}
      {dir.data.truncated ? (
        <li className="py-1 text-xs text-muted-foreground">
          Only the first 2,000 entries are shown.
        </li>
      ) : null}
    </ul>
  );
}

function EntryRow({
  entry,
  depth,
  ...tree
}: TreeProps & { entry: WorkspaceFileEntry; depth: number }) {
  const [open, setOpen] = useState(false);
  const isDir = entry.type === "directory";
  const isPlan = entry.path === tree.planPath;
  // The plan's folders say so while closed, so the plan is easy to find.
  const holdsPlan = isDir && tree.planPath.startsWith(`${entry.path}/`);
  const isSelected = tree.selected === entry.path;
  const Icon = isDir
    ? open
      ? FolderOpenIcon
      : FolderIcon
    : isPlan
      ? NotebookPenIcon
      : entry.type === "symlink"
        ? FileSymlinkIcon
        : FileIcon;
  return (
    <li>
      <button
        type="button"
        onClick={() => (isDir ? setOpen(!open) : tree.onSelect(entry.path))}
        disabled={entry.type === "other"}
        aria-expanded={isDir ? open : undefined}
        aria-current={isSelected ? "true" : undefined}
        aria-label={`${entry.name}${isDir ? " (folder)" : entry.type === "symlink" ? " (link)" : ""}${isPlan ? " (plan of this chat)" : ""}`}
        className={cn(
          "flex w-full items-center gap-1.5 rounded-sm px-1 py-0.5 text-left text-sm outline-none hover:bg-accent focus-visible:ring-2 focus-visible:ring-ring disabled:opacity-50",
          isSelected && "bg-accent font-medium",
          isPlan && "text-amber-700 dark:text-amber-400",
        )}
        style={{ paddingLeft: depth * 12 + 4 }}
      >
        {isDir ? (
          <ChevronRightIcon
            aria-hidden="true"
            className={cn("size-3.5 shrink-0 transition-transform", open && "rotate-90")}
          />
        ) : (
          <span className="w-3.5 shrink-0" />
        )}
        <Icon aria-hidden="true" className="size-4 shrink-0" />
        <span className="min-w-0 flex-1 truncate">{entry.name}</span>
        {isPlan || holdsPlan ? (
          <span className="rounded bg-amber-100 px-1 text-[10px] font-medium text-amber-800 uppercase dark:bg-amber-950 dark:text-amber-300">
            Plan
          </span>
        ) : entry.size !== undefined ? (
          <span className="shrink-0 text-xs text-muted-foreground">{formatBytes(entry.size)}</span>
        ) : null}
      </button>
      {isDir && open ? <DirectoryList path={entry.path} depth={depth + 1} {...tree} /> : null}
    </li>
  );
}
