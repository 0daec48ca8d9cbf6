import { idParams, json, route } from "@/lib/api/route";
import { getOwnWorkspace, workspaceJson } from "@/lib/workspace/service";

export const GET = route({
  access: "user",
  params: idParams,
  async handler({ db, caller, params }) {
    return json(workspaceJson(await getOwnWorkspace(db, caller.id, params.id)));
  },
});
