import { idParams, json, noContent, route } from "@/lib/api/route";
import {
  getVisibleServer,
  parseIfMatch,
  removeServer,
  serverJsonFor,
  updateServer,
} from "@/lib/mcp-config/service";
import { updateMcpServerBody } from "@/lib/schemas/mcp-servers";

export const GET = route({
  access: "user",
  params: idParams,
  async handler({ db, caller, params }) {
    const row = await getVisibleServer(db, caller, params.id);
    return json(await serverJsonFor(db, caller, row), 200, { ETag: `"${row.version}"` });
  },
});

export const PATCH = route({
  access: "admin",
  params: idParams,
  body: updateMcpServerBody,
  async handler({ db, caller, params, body, req }) {
    const row = await updateServer(
      db,
      caller,
      params.id,
      body,
      parseIfMatch(req.headers.get("if-match")),
    );
    return json(await serverJsonFor(db, caller, row), 200, { ETag: `"${row.version}"` });
  },
});

export const DELETE = route({
  access: "admin",
  params: idParams,
  async handler({ db, caller, params }) {
    await removeServer(db, caller, params.id);
    return noContent();
  },
});
