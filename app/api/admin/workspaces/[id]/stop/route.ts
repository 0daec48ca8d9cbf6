import { findWorkspace } from "@/db/queries/workspaces";
import { idParams, json, route } from "@/lib/api/route";
import { stopOwnWorkspace, workspaceJson, workspaceNotFound } from "@/lib/workspace/service";

/** An admin stops anyone's workspace: its agent and every process it started. */
export const POST = route({
  access: "admin",
  params: idParams,
  async handler({ db, caller, params }) {
    const row = await findWorkspace(db, params.id);
    if (!row) throw workspaceNotFound();
    return json(workspaceJson(await stopOwnWorkspace(db, caller.id, row, "admin")));
  },
});
