import { idParams, json, route } from "@/lib/api/route";
import { workspaceFileQuery } from "@/lib/schemas/workspaces";
import { readWorkspaceFileForViewer } from "@/lib/workspace/file-browser";
import { getOwnWorkspace } from "@/lib/workspace/service";

/** One text file of the owner's workspace for the viewer (`?path=`), size-capped. */
export const GET = route({
  access: "user",
  params: idParams,
  query: workspaceFileQuery,
  async handler({ db, caller, params, query }) {
    const row = await getOwnWorkspace(db, caller.id, params.id);
    return json(await readWorkspaceFileForViewer(db, row, query.path));
  },
});
