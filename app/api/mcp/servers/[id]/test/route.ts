import { idParams, json, route } from "@/lib/api/route";
import { testServerConnection } from "@/lib/mcp-config/test-connection";
import { getVisibleServer } from "@/lib/mcp-config/service";

export const POST = route({
  access: "admin",
  params: idParams,
  async handler({ db, caller, params }) {
    const row = await getVisibleServer(db, caller, params.id);
    return json(await testServerConnection(db, row, caller.id));
  },
});
