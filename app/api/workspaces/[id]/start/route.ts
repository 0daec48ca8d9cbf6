import { ApiError } from "@/lib/errors";
import { idParams, json, route } from "@/lib/api/route";
import { getOwnWorkspace, startOwnWorkspace, workspaceJson } from "@/lib/workspace/service";

/** Starts the workspace's agent (200 when it runs, also when it already did). */
export const POST = route({
  access: "user",
  params: idParams,
  async handler({ db, caller, params }) {
    const row = await getOwnWorkspace(db, caller.id, params.id);
    const started = await startOwnWorkspace(db, caller.id, row);
    if (started.status !== "running") {
      throw new ApiError(
        502,
        "workspace.start_failed",
        started.error ?? "The workspace agent did not start.",
      );
    }
    return json(workspaceJson(started));
  },
});
