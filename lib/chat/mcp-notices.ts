// What a chat says about an MCP server that failed. The failure messages from the MCP client
// are written for admins (they name the server's host and port, HTTP statuses, errno codes);
// a member must not learn the server's address from a notice or a tool result, so members get
// the server's display name and what the failure means for them. The chat owner's role
// decides, since the owner is the only one who reads the chat.
import type { UserRole } from "@/db/schema";

export type NoticeAudience = UserRole;

export interface Notice {
  code: string;
  detail: string;
  server_id?: string;
}

export interface ServerFailure {
  code: string;
  message: string;
  /**
   * The message was written for the user (e.g. "Connect your account to X to use it") and
   * names no address: members see it as it is.
   */
  forUser?: boolean;
}

const MEMBER_TEXT: Record<string, string> = {
  "mcp.unreachable": "the server could not be reached",
  "mcp.timeout": "the server did not respond in time",
  "mcp.not_mcp_server": "the server is not set up correctly",
  "mcp.invalid_config": "the server is not set up correctly",
  "mcp.protocol_error": "the server answered with an error",
  "mcp.response_too_large": "the server sent a response that was too large",
  "mcp.cancelled": "the request was cancelled",
  "mcp.auth_required": "the server refused the credentials",
  "mcp.input_required":
    "the tool needs input toolgate cannot give (only questions to you are supported), or kept asking",
  "egress.destination_not_allowed": "the server may not be reached from this installation",
  "egress.redirect_not_allowed": "the server redirected to a place it may not",
};

/** One sentence about a server's failure, fit for the audience. */
export function serverFailureText(
  audience: NoticeAudience,
  displayName: string,
  failure: ServerFailure,
): string {
  if (audience === "admin" || failure.forUser === true) return `${displayName}: ${failure.message}`;
  const what = MEMBER_TEXT[failure.code] ?? "the server is unavailable right now";
  return `${displayName}: ${what}. An administrator can see the details.`;
}

/** The notice for a server that takes no part in the turn. */
export function serverNotice(
  audience: NoticeAudience,
  server: { id: string; displayName: string },
  failure: ServerFailure,
): Notice {
  const code =
    failure.code.startsWith("egress.") || failure.code === "mcp.auth_required"
      ? failure.code
      : "mcp.server_unavailable";
  return {
    code,
    detail: serverFailureText(audience, server.displayName, failure),
    server_id: server.id,
  };
}
