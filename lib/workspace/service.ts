import "server-only";
// What the workspace routes and the workspace built-in tools share: ownership, JSON shape,
// create/start/stop with their audit rows, and the agent of a chat's workspace.
import type { Database, Executor } from "@/db/client";
import { recordAudit } from "@/db/queries/audit";
import {
  findOwnWorkspace,
  listActiveWorkspacesOf,
  listAllWorkspaces,
  listOwnWorkspaces,
  type WorkspaceRow,
} from "@/db/queries/workspaces";
import { ApiError, Errors } from "@/lib/errors";
import { launchText, matchWorkspaceServer } from "@/lib/policy/workspace-mcp-rule";
import { workspaceMcpRule } from "@/lib/settings/workspace-mcp";
import type { Workspace, WorkspaceMcpListing } from "@/lib/workspace/wire";

export type AdminWorkspace = Workspace & { owner_email: string; owner_name: string };
import { AgentRequestError, type AgentClient } from "./agent-client";
import {
  agentClientOf,
  createWorkspace,
  deleteWorkspace,
  refreshWorkspace,
  startWorkspace,
  stopWorkspace,
} from "./provisioner";
import { WorkspaceProvisionError } from "./agent-launcher";

export function workspaceJson(row: WorkspaceRow): Workspace {
  return {
    id: row.id,
    name: row.name,
    template: row.template,
    status: row.status,
    owner_id: row.ownerId,
    error: row.error,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

export const workspaceNotFound = () => Errors.notFound("workspace", "workspace");

/** The caller's workspace with its status checked; anyone else's answers 404. */
export async function getOwnWorkspace(
  db: Executor,
  ownerId: string,
  id: string,
): Promise<WorkspaceRow> {
  const row = await findOwnWorkspace(db, ownerId, id);
  if (!row) throw workspaceNotFound();
  return refreshWorkspace(db, row);
}

export async function listWorkspaces(db: Executor, ownerId: string): Promise<Workspace[]> {
  const rows = await listOwnWorkspaces(db, ownerId);
  return Promise.all(rows.map(async (row) => workspaceJson(await refreshWorkspace(db, row))));
}

/** Creates the workspace from its template, then starts it (a failed start leaves "error"). */
export async function createAndStartWorkspace(
  db: Database,
  actorId: string,
  body: { name: string; template: string },
  via: "api" | "chat" = "api",
): Promise<WorkspaceRow> {
  let row: WorkspaceRow;
  try {
    row = await createWorkspace(db, { ownerId: actorId, ...body }, (tx, created) =>
      recordAudit(tx, {
        actorId,
        action: "workspace.create",
        targetType: "workspace",
        targetId: created.id,
        detail: { template: body.template, via },
      }),
    );
  } catch (err) {
    if (err instanceof WorkspaceProvisionError && err.code === "workspace.unknown_template") {
      throw new ApiError(400, err.code, err.message, [
        { field: "template", detail: "is not a known template" },
      ]);
    }
    if (err instanceof WorkspaceProvisionError && err.code === "workspace.quota_exceeded") {
      throw new ApiError(429, err.code, err.message);
    }
    throw err;
  }
  return startAudited(db, actorId, row, via);
}

async function startAudited(
  db: Database,
  actorId: string,
  row: WorkspaceRow,
  via: "api" | "chat",
): Promise<WorkspaceRow> {
  const wasRunning = row.status === "running";
  const started = await startWorkspace(db, row);
  if (!wasRunning) {
    await recordAudit(db, {
      actorId,
      action: "workspace.start",
      targetType: "workspace",
      targetId: row.id,
      outcome: started.status === "running" ? "success" : "failure",
      detail: { via },
    });
  }
  return started;
}

export async function startOwnWorkspace(
  db: Database,
  actorId: string,
  row: WorkspaceRow,
  via: "api" | "chat" = "api",
): Promise<WorkspaceRow> {
  return startAudited(db, actorId, row, via);
}

export async function stopOwnWorkspace(
  db: Database,
  actorId: string,
  row: WorkspaceRow,
  via: "api" | "chat" | "admin" = "api",
): Promise<WorkspaceRow> {
  const stopped = await stopWorkspace(db, row);
  await recordAudit(db, {
    actorId,
    action: "workspace.stop",
    targetType: "workspace",
    targetId: row.id,
    detail: { via, was: row.status },
  });
  return stopped;
}

export async function deleteOwnWorkspace(
  db: Database,
  actorId: string,
  row: WorkspaceRow,
): Promise<void> {
  await deleteWorkspace(db, row, (tx) =>
    recordAudit(tx, {
      actorId,
      action: "workspace.delete",
      targetType: "workspace",
      targetId: row.id,
      detail: { template: row.template },
    }),
  );
}

/** Every workspace with its owner, as the admin sees them. */
export async function listAllWorkspacesJson(db: Executor): Promise<AdminWorkspace[]> {
  const rows = await listAllWorkspaces(db);
  return Promise.all(
    rows.map(async ({ workspace, ownerEmail, ownerName }) => ({
      ...workspaceJson(await refreshWorkspace(db, workspace)),
      owner_email: ownerEmail,
      owner_name: ownerName,
    })),
  );
}

/**
 * Stops every workspace of a user (disabled by an admin): their agents and every process
 * they started, at once. Audited per workspace with the admin as the actor.
 */
export async function stopWorkspacesOf(db: Database, actorId: string, ownerId: string) {
  const rows = await listActiveWorkspacesOf(db, ownerId);
  for (const row of rows) {
    await stopWorkspace(db, row);
    await recordAudit(db, {
      actorId,
      action: "workspace.stop",
      targetType: "workspace",
      targetId: row.id,
      detail: { via: "owner_disabled", was: row.status },
    });
  }
  return rows.length;
}

export function notRunning(row: WorkspaceRow): ApiError {
  return new ApiError(
    409,
    "workspace.not_running",
    `The workspace is ${row.status}; start it first.`,
  );
}

/** The agent of a running workspace (its liveness checked), or null. */
export async function runningAgent(
  db: Executor,
  row: WorkspaceRow,
): Promise<{ row: WorkspaceRow; client: AgentClient | null }> {
  const current = await refreshWorkspace(db, row);
  return { row: current, client: agentClientOf(current) };
}

/** The `.mcp.json` servers of a running workspace, for the workspace panel. */
export async function workspaceMcpServers(
  db: Executor,
  row: WorkspaceRow,
  refresh: boolean,
): Promise<WorkspaceMcpListing> {
  const { row: current, client } = await runningAgent(db, row);
  if (!client) throw notRunning(current);
  try {
    const listing = await client.mcpTools(refresh);
    const rule = await workspaceMcpRule(db);
    return {
      config: listing.config,
      servers: listing.servers.map(({ name, transport, status, error, tools_count, launch }) => {
        const outcome = matchWorkspaceServer(rule, launch);
        return {
          name,
          transport,
          status,
          ...(error !== undefined && { error }),
          tools_count,
          admitted: outcome === "allowed",
          ...(outcome !== "allowed" && {
            blocked_reason: outcome,
            ...(launch && { launch: launchText(launch) }),
          }),
        };
      }),
      tools: listing.tools.map(({ name, server, tool_name, description }) => ({
        name,
        server,
        tool_name,
        description,
      })),
    };
  } catch (err) {
    if (err instanceof AgentRequestError) {
      throw new ApiError(502, "workspace.agent_unavailable", err.message);
    }
    throw err;
  }
}
