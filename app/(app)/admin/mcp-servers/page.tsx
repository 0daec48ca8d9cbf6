import type { Metadata } from "next";
import { McpServersList } from "@/components/admin/mcp-servers/mcp-servers-list";

export const metadata: Metadata = { title: "MCP servers" };

export default function McpServersPage() {
  return <McpServersList />;
}
