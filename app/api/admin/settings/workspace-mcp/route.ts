import { json, route } from "@/lib/api/route";
import { workspaceMcpSettingsBody } from "@/lib/schemas/workspace-mcp-settings";
import { getWorkspaceMcpSettings, putWorkspaceMcpSettings } from "@/lib/settings/workspace-mcp";

export const GET = route({
  access: "admin",
  async handler({ db }) {
    return json(await getWorkspaceMcpSettings(db));
  },
});

export const PUT = route({
  access: "admin",
  body: workspaceMcpSettingsBody,
  async handler({ db, caller, body }) {
    return json(await putWorkspaceMcpSettings(db, caller, body));
  },
});
