import "server-only";
// The read-only file browser of a workspace: its tree, one directory at a time, and one file's
// text for the viewer. Both go through the workspace's own agent, which runs as the
// workspace's uid and confines every path to the workspace (no `..`, no absolute paths, no
// symlink leading out): the app never opens a file in a directory untrusted code writes to.
import type { Executor } from "@/db/client";
import type { WorkspaceRow } from "@/db/queries/workspaces";
import { ApiError } from "@/lib/errors";
import { AgentRequestError, type AgentClient } from "./agent-client";
import { notRunning, runningAgent } from "./service";

/** What the viewer shows at most; the agent's read cap. Larger files are cut and say so. */
export const VIEWER_MAX_BYTES = 256 * 1024;

export interface FileEntry {
  name: string;
  path: string;
  type: "file" | "directory" | "symlink" | "other";
  size?: number;
}

export interface FileListing {
  path: string;
  entries: FileEntry[];
  truncated: boolean;
}

export interface FileContent {
  path: string;
  size: number;
  content: string;
  truncated: boolean;
}

// The agent's own problems about a path are safe to pass on (they name the workspace-relative
// path only); anything else becomes "the agent is unavailable".
const PASSED_ON = new Set([
  "workspace.path_outside",
  "workspace.not_found",
  "workspace.is_directory",
  "workspace.not_a_directory",
  "workspace.not_a_file",
  "workspace.binary_file",
]);

function translate(err: unknown): never {
  if (err instanceof AgentRequestError) {
    if (PASSED_ON.has(err.code) && (err.status === 400 || err.status === 404)) {
      const field = err.validations?.[0]
        ? [{ field: "query.path", detail: err.validations[0].detail }]
        : undefined;
      throw new ApiError(err.status, err.code, err.message, field);
    }
    throw new ApiError(502, "workspace.agent_unavailable", err.message);
  }
  throw err;
}

async function agentOf(db: Executor, row: WorkspaceRow): Promise<AgentClient> {
  const { row: current, client } = await runningAgent(db, row);
  if (!client) throw notRunning(current);
  return client;
}

function nameOf(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/** One directory's entries (directories first, then by name). */
export async function listWorkspaceFiles(
  db: Executor,
  row: WorkspaceRow,
  path: string,
): Promise<FileListing> {
  const client = await agentOf(db, row);
  const listing = await client.listFiles({ path, depth: 1 }).catch(translate);
  const entries = listing.entries
    .map(({ path: p, type, size }) => ({
      name: nameOf(p),
      path: p,
      type,
      ...(size !== undefined && { size }),
    }))
    .sort((a, b) =>
      a.type === "directory" && b.type !== "directory"
        ? -1
        : b.type === "directory" && a.type !== "directory"
          ? 1
          : a.name.localeCompare(b.name),
    );
  return { path: listing.path, entries, truncated: listing.truncated };
}

// The agent ends a cut read with a note for the model; the viewer says it in its own UI.
const TRUNCATION_NOTE = /\n\[toolgate: output truncated at \d+ bytes; read on with offset=\d+\]$/;

/** A text file's content, cut at VIEWER_MAX_BYTES; binary files answer workspace.binary_file. */
export async function readWorkspaceFileForViewer(
  db: Executor,
  row: WorkspaceRow,
  path: string,
): Promise<FileContent> {
  const client = await agentOf(db, row);
  const read = await client.readFile({ path }).catch(translate);
  return {
    path: read.path,
    size: read.size,
    content: read.truncated ? read.content.replace(TRUNCATION_NOTE, "") : read.content,
    truncated: read.truncated || read.has_more,
  };
}
