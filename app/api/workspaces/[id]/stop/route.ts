import { idParams, json, route } from "@/lib/api/route";
import { getOwnWorkspace, stopOwnWorkspace, workspaceJson } from "@/lib/workspace/service";

/** Stops the agent and every process it started; 200 with the stopped workspace. */
export const POST = route({
  access: "user",
  params: idParams,
  async handler({ db, caller, params }) {
    const row = await getOwnWorkspace(db, caller.id, params.id);
    return json(workspaceJson(await stopOwnWorkspace(db, caller.id, row)));
  },
});
