import type { Metadata } from "next";
import { ServerIcon } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "MCP servers" };

export default function McpServersPage() {
  return (
    <div className="mx-auto flex max-w-5xl flex-col gap-6">
      <PageHeader
        title="MCP servers"
        description="Register the MCP servers whose tools the chat may use, and decide how each may be used."
      />
      <EmptyState
        icon={<ServerIcon />}
        title="No MCP servers yet"
        description="Server registration is being built and will appear here."
      />
    </div>
  );
}
