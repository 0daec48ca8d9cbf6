import type { Metadata } from "next";
import { McpServerEditor } from "@/components/admin/mcp-servers/mcp-server-editor";
import { requirePageCaller } from "@/lib/auth/page";
import { mcpQueryKeys } from "@/lib/client/mcp-queries";
import { toolQueryKeys } from "@/lib/client/mcp-tool-queries";
import { getDb } from "@/lib/server/database";
import { mcpServerData, orClientFetch, serverToolsData } from "@/lib/server/page-data";
import { Prefetched } from "../../../prefetched";

export const metadata: Metadata = { title: "Edit MCP server" };

export default async function EditMcpServerPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const caller = await requirePageCaller();
  const db = await getDb();
  // The stored config and catalogue only: the server itself is dialled when an admin asks.
  // A server the caller cannot see is not read here: the editor shows the route's 404.
  const [server, tools] = await Promise.all([
    orClientFetch(mcpServerData(db, caller, id)),
    orClientFetch(serverToolsData(db, caller, id)),
  ]);
  return (
    <Prefetched
      seeds={[
        { key: mcpQueryKeys.detail(id), data: server },
        { key: toolQueryKeys.catalogue(id), data: tools },
      ]}
    >
      <McpServerEditor id={id} />
    </Prefetched>
  );
}
