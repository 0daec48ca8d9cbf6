import { idParams, json, route } from "@/lib/api/route";
import { ApiError } from "@/lib/errors";
import { catalogueJson } from "@/lib/mcp-config/catalogue-admin";
import { getVisibleServer } from "@/lib/mcp-config/service";
import { testServerConnection } from "@/lib/mcp-config/test-connection";
import { catalogueQuery } from "@/lib/schemas/mcp-tools";

/**
 * The server's tool catalogue, sorted by name. `?refresh=true` lists the server now with the
 * caller's credentials and records that listing first (a listing that fails → 502 with the
 * classified MCP error; the catalogue is unchanged).
 */
export const GET = route({
  access: "admin",
  params: idParams,
  query: catalogueQuery,
  async handler({ db, caller, params, query }) {
    const row = await getVisibleServer(db, caller, params.id);
    if (query.refresh === "true") {
      const listed = await testServerConnection(db, row, caller.id);
      if (!listed.ok) {
        throw new ApiError(
          502,
          listed.error?.code ?? "mcp.unexpected",
          listed.error?.message ?? "The server could not be listed.",
        );
      }
    }
    return json(await catalogueJson(db, row.id));
  },
});
