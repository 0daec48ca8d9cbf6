import { json, route } from "@/lib/api/route";
import { listToolCalls } from "@/lib/chat/tool-audit-api";
import { listToolAuditQuery } from "@/lib/schemas/approvals";

/** The tool-call audit, newest first, filtered, with cursor pagination. */
export const GET = route({
  access: "admin",
  query: listToolAuditQuery,
  async handler({ db, query }) {
    return json(await listToolCalls(db, query));
  },
});
