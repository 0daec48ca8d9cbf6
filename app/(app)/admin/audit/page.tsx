import type { Metadata } from "next";
import { ToolAuditAdmin } from "@/components/admin/audit/tool-audit-admin";
import { requirePageCaller } from "@/lib/auth/page";
import { toolAuditQuery } from "@/lib/client/audit-queries";
import { mcpQueryKeys } from "@/lib/client/mcp-queries";
import { queryKeys } from "@/lib/client/queries";
import { getDb } from "@/lib/server/database";
import { mcpServersData, orClientFetch, toolAuditData, usersData } from "@/lib/server/page-data";
import { Prefetched } from "../../prefetched";

export const metadata: Metadata = { title: "Audit" };

export default async function AuditPage() {
  const caller = await requirePageCaller();
  const db = await getDb();
  const [calls, users, servers] = await Promise.all([
    orClientFetch(toolAuditData(db, caller)),
    orClientFetch(usersData(db, caller)),
    orClientFetch(mcpServersData(db, caller)),
  ]);
  return (
    <Prefetched
      seeds={[
        // The unfiltered first page, as the page opens, in its infinite query's shape.
        {
          key: toolAuditQuery({}).queryKey,
          data: calls && { pages: [calls], pageParams: [null] },
        },
        { key: queryKeys.users, data: users },
        { key: mcpQueryKeys.list, data: servers },
      ]}
    >
      <ToolAuditAdmin />
    </Prefetched>
  );
}
