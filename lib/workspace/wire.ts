// Response shapes of the workspace routes (GET/POST /api/workspaces…, GET /api/templates,
// GET /api/admin/workspaces), produced by service.ts. Types only: the browser imports them too.

export type WorkspaceStatus = "stopped" | "starting" | "running" | "error";

export interface Workspace {
  id: string;
  name: string;
  template: string;
  status: WorkspaceStatus;
  owner_id: string;
  /** Why the last start failed, or why a running workspace was found stopped. */
  error: string | null;
  created_at: string;
  updated_at: string;
}

/** A row of GET /api/admin/workspaces: every user's workspace, with its owner. */
export interface AdminWorkspace extends Workspace {
  owner_email: string;
  owner_name: string;
}

/** Whether workspace commands can run in the OS sandbox (bubblewrap) on this server. */
export interface WorkspaceSandboxStatus {
  available: boolean;
  /** Why it is unavailable, in words an admin can act on. */
  reason?: string;
  /** TOOLGATE_UNSAFE_NO_SANDBOX is set: normal-turn commands may run unconfined. */
  unsafe: boolean;
}

export interface AdminWorkspaces {
  sandbox: WorkspaceSandboxStatus;
  /** Newest first. */
  workspaces: AdminWorkspace[];
}

export interface WorkspaceTemplate {
  name: string;
  description: string;
}

/** One `.mcp.json` server of a running workspace, as its agent reports it. */
export interface WorkspaceMcpServer {
  name: string;
  transport: "stdio" | "http" | "sse" | "unknown";
  status: "ok" | "error";
  error?: string;
  tools_count: number;
  /** Whether the admin's workspace-server rule lets its tools into chats. */
  admitted: boolean;
  blocked_reason?: "workspace_mcp_off" | "workspace_mcp_not_allowed";
  /** The command line or URL of a blocked server, so the user can ask an admin for it. */
  launch?: string;
}

export interface WorkspaceMcpListing {
  config: { path: string; status: "ok" | "missing" | "error"; error?: string; warnings: string[] };
  servers: WorkspaceMcpServer[];
  tools: Array<{ name: string; server: string; tool_name: string; description: string }>;
}
