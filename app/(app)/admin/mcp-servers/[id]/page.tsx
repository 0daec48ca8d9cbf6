import type { Metadata } from "next";
import { McpServerEditor } from "@/components/admin/mcp-servers/mcp-server-editor";

export const metadata: Metadata = { title: "Edit MCP server" };

export default async function EditMcpServerPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <McpServerEditor id={id} />;
}
