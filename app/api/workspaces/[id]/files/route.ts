import { idParams, json, route } from "@/lib/api/route";
import { workspaceDirQuery } from "@/lib/schemas/workspaces";
import { listWorkspaceFiles } from "@/lib/workspace/file-browser";
import { getOwnWorkspace } from "@/lib/workspace/service";

/** One directory of the owner's workspace (`?path=`, default the root), read-only. */
export const GET = route({
  access: "user",
  params: idParams,
  query: workspaceDirQuery,
  async handler({ db, caller, params, query }) {
    const row = await getOwnWorkspace(db, caller.id, params.id);
    return json(await listWorkspaceFiles(db, row, query.path));
  },
});
