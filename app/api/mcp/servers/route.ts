import { json, route } from "@/lib/api/route";
import { createServer, listServersFor, serverJsonFor } from "@/lib/mcp-config/service";
import { createMcpServerBody } from "@/lib/schemas/mcp-servers";

export const GET = route({
  access: "user",
  async handler({ db, caller }) {
    return json(await listServersFor(db, caller));
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
