import type { Metadata } from "next";
import { NewMcpServer } from "@/components/admin/mcp-servers/mcp-server-editor";

export const metadata: Metadata = { title: "Add MCP server" };

export default function NewMcpServerPage() {
  return <NewMcpServer />;
}
