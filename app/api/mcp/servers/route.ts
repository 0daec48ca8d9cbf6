import { json, jsonText, route } from "@/lib/api/route";
import { serverListJson } from "@/lib/mcp-config/server-list";
import { createServer, serverJsonFor } from "@/lib/mcp-config/service";
import { createMcpServerBody } from "@/lib/schemas/mcp-servers";

export const GET = route({
  access: "user",
  async handler({ db, caller }) {
    return jsonText(await serverListJson(db, caller));
  },
});

export const POST = route({
  access: "admin",
  body: createMcpServerBody,
  async handler({ db, caller, body }) {
    const row = await createServer(db, caller, body);
    return json(await serverJsonFor(db, caller, row), 201);
  },
});
