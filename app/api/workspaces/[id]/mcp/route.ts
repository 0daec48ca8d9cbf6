import { idParams, json, route } from "@/lib/api/route";
import { workspaceMcpQuery } from "@/lib/schemas/workspaces";
import { getOwnWorkspace, workspaceMcpServers } from "@/lib/workspace/service";

/**
 * The workspace's `.mcp.json` servers with their state and tools, from its agent;
 * `?refresh=true` re-reads the file and reconnects. 409 workspace.not_running when stopped.
 */
export const GET = route({
  access: "user",
  params: idParams,
  query: workspaceMcpQuery,
  async handler({ db, caller, params, query }) {
    const row = await getOwnWorkspace(db, caller.id, params.id);
    return json(await workspaceMcpServers(db, row, query.refresh === "true"));
  },
});
