import { json, route } from "@/lib/api/route";
import { createWorkspaceBody } from "@/lib/schemas/workspaces";
import { createAndStartWorkspace, listWorkspaces, workspaceJson } from "@/lib/workspace/service";

export const GET = route({
  access: "user",
  async handler({ db, caller }) {
    return json(await listWorkspaces(db, caller.id));
  },
});

/** Creates the workspace from its template and starts it; a failed start shows as "error". */
export const POST = route({
  access: "user",
  body: createWorkspaceBody,
  async handler({ db, caller, body }) {
    return json(workspaceJson(await createAndStartWorkspace(db, caller.id, body)), 201);
  },
});
