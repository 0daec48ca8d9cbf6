import type { Metadata } from "next";
import { MessageSquareIcon } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Chat" };

export default function ChatPage() {
  return (
    <div className="mx-auto flex max-w-5xl flex-col gap-6">
      <PageHeader
        title="Chat"
        description="Talk to a model that uses the MCP tools your admins allow."
      />
      <EmptyState
        icon={<MessageSquareIcon />}
        title="No chats yet"
        description="Chats with MCP tools arrive once an admin has set up a model provider and MCP servers."
      />
    </div>
  );
}
