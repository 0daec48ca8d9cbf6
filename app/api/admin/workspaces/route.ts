import { json, route } from "@/lib/api/route";
import { workspaceSandboxStatus } from "@/lib/workspace/sandbox-status";
import { listAllWorkspacesJson } from "@/lib/workspace/service";

/** Every workspace with its owner, and whether this host can sandbox their commands. */
export const GET = route({
  access: "admin",
  async handler({ db }) {
    const [sandbox, workspaces] = await Promise.all([
      workspaceSandboxStatus(),
      listAllWorkspacesJson(db),
    ]);
    return json({ sandbox, workspaces });
  },
});
