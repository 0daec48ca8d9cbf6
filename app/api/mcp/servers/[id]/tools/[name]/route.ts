import { json, route } from "@/lib/api/route";
import { updateTool } from "@/lib/mcp-config/catalogue-admin";
import { getVisibleServer } from "@/lib/mcp-config/service";
import { toolParams, updateToolBody } from "@/lib/schemas/mcp-tools";

/** One tool's decisions: rule, plan mode, approval of its current definition. */
export const PATCH = route({
  access: "admin",
  params: toolParams,
  body: updateToolBody,
  async handler({ db, caller, params, body }) {
    const row = await getVisibleServer(db, caller, params.id);
    return json(await updateTool(db, caller, row.id, params.name, body));
  },
});
