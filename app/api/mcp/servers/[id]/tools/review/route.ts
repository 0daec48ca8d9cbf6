import { idParams, json, route } from "@/lib/api/route";
import { reviewTools, updateTool } from "@/lib/mcp-config/catalogue-admin";
import { getVisibleServer } from "@/lib/mcp-config/service";
import { reviewToolsBody, updateToolBody } from "@/lib/schemas/mcp-tools";

/** Bulk review: approves the named definitions and applies rule / plan_mode to them. */
export const POST = route({
  access: "admin",
  params: idParams,
  body: reviewToolsBody,
  async handler({ db, caller, params, body }) {
    const row = await getVisibleServer(db, caller, params.id);
    return json(await reviewTools(db, caller, row.id, body));
  },
});

// This static segment shadows a tool literally named "review": its PATCH lands here.
export const PATCH = route({
  access: "admin",
  params: idParams,
  body: updateToolBody,
  async handler({ db, caller, params, body }) {
    const row = await getVisibleServer(db, caller, params.id);
    return json(await updateTool(db, caller, row.id, "review", body));
  },
});
