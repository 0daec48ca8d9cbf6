import type { Metadata } from "next";
import { McpServersList } from "@/components/admin/mcp-servers/mcp-servers-list";
import { requirePageCaller } from "@/lib/auth/page";
import { mcpQueryKeys } from "@/lib/client/mcp-queries";
import { getDb } from "@/lib/server/database";
import { mcpServersData, orClientFetch } from "@/lib/server/page-data";
import { Prefetched } from "../../prefetched";

export const metadata: Metadata = { title: "MCP servers" };

export default async function McpServersPage() {
  const caller = await requirePageCaller();
  const servers = await orClientFetch(mcpServersData(await getDb(), caller));
  return (
    <Prefetched seeds={[{ key: mcpQueryKeys.list, data: servers }]}>
      <McpServersList />
    </Prefetched>
  );
}
