"use client";

import { InfoIcon, ShieldAlertIcon, TriangleAlertIcon } from "lucide-react";
import { ConnectButton, PopupBlockedNotice } from "@/components/connections/connect-button";
import { useMcpConnect } from "@/components/connections/use-mcp-connect";
import { Alert, AlertDescription } from "@/components/ui/alert";
import type { McpServerConfig } from "@/lib/client/types";
import type { ChatNotice } from "./message-convert";

/** The sentence a notice shows: which server was skipped and why, or what was refused. */
export function noticeText(notice: ChatNotice, servers: readonly McpServerConfig[]): string {
  const server = notice.server_id ? servers.find((s) => s.id === notice.server_id) : undefined;
  const name = server?.display_name ?? "An MCP server";
  let detail = notice.detail.trim();
  // The server may already start the detail with the server's name; don't say it twice.
  if (server && detail.startsWith(`${server.display_name}: `)) {
    detail = detail.slice(server.display_name.length + 2);
  }
  // Tools left out by the tool caps: the server took part, so it was not "skipped".
  if (notice.code === "mcp.too_many_tools") return server ? `${name}: ${detail}` : detail;
  if (notice.code === "tool.denied") {
    return detail ? `A tool call was blocked: ${detail}` : "A tool call was blocked.";
  }
  if (notice.code.startsWith("mcp.") || notice.code.startsWith("egress.")) {
    return detail ? `${name} was skipped: ${detail}` : `${name} was skipped.`;
  }
  return detail || notice.code;
}

/** A compact note in the answer: a skipped server or a refused call does not fail the turn. */
export function Notice({
  notice,
  servers,
}: {
  notice: ChatNotice;
  servers: readonly McpServerConfig[];
}) {
  const server = notice.server_id ? servers.find((s) => s.id === notice.server_id) : undefined;
  const connectable =
    notice.code === "mcp.auth_required" && server?.auth_type === "oauth2" && !server.auth_connected
      ? server
      : undefined;
  const Icon = notice.code.startsWith("egress.")
    ? ShieldAlertIcon
    : notice.code.startsWith("mcp.") || notice.code === "tool.denied"
      ? TriangleAlertIcon
      : InfoIcon;
  return (
    <Alert
      role="status"
      className="border-amber-500/40 bg-amber-500/5 py-2 text-foreground"
      data-notice-code={notice.code}
    >
      <Icon aria-hidden="true" className="text-amber-600 dark:text-amber-400" />
      <AlertDescription className="text-foreground/90">
        {noticeText(notice, servers)}
        {connectable ? <NoticeConnect server={connectable} /> : null}
      </AlertDescription>
    </Alert>
  );
}

/** An OAuth2 server skipped for want of the user's token gets its Connect action right here. */
function NoticeConnect({ server }: { server: McpServerConfig }) {
  const connector = useMcpConnect();
  return (
    <div className="mt-2 flex flex-col gap-2">
      <ConnectButton server={server} connector={connector} className="self-start" />
      <PopupBlockedNotice serverId={server.id} connector={connector} />
    </div>
  );
}
