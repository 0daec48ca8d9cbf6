import { idParams, json, route } from "@/lib/api/route";
import { deleteOwnWorkspace, getOwnWorkspace, workspaceJson } from "@/lib/workspace/service";

export const GET = route({
  access: "user",
  params: idParams,
  async handler({ db, caller, params }) {
    return json(workspaceJson(await getOwnWorkspace(db, caller.id, params.id)));
  },
});

/** Stops the workspace, deletes its files and detaches its chats; 204. */
export const DELETE = route({
  access: "user",
  params: idParams,
  async handler({ db, caller, params }) {
    const row = await getOwnWorkspace(db, caller.id, params.id);
    await deleteOwnWorkspace(db, caller.id, row);
    return new Response(null, { status: 204 });
  },
});
