// The browser side of the OAuth2 connect popup: what its callback page posts back, how its
// failure codes read, and where the popup opens. Kept free of React so it can be unit tested.
import type { McpServerConfig } from "@/lib/client/types";

/** Posted by the callback page (lib/mcp-config/oauth2-callback-page.ts) to its opener. */
export const OAUTH2_COMPLETE_MESSAGE = "mcp-oauth2-complete";
export const OAUTH2_ERROR_MESSAGE = "mcp-oauth2-error";

/** RFC 9700: the state lives 10 minutes; a flow older than that cannot complete any more. */
export const CONNECT_FLOW_TTL_MS = 10 * 60_000;

export type Oauth2PopupMessage =
  { type: "complete"; serverId: string } | { type: "error"; serverId: string; code: string };

/**
 * A `message` event's payload, when it is the callback page's: only from the app's own
 * origin (any other window may post anything), only the two known shapes.
 */
export function parseOauth2Message(
  data: unknown,
  eventOrigin: string,
  ownOrigin: string,
): Oauth2PopupMessage | null {
  if (eventOrigin !== ownOrigin) return null;
  if (typeof data !== "object" || data === null) return null;
  const { type, server_id: serverId, code } = data as Record<string, unknown>;
  if (typeof serverId !== "string" || serverId === "") return null;
  if (type === OAUTH2_COMPLETE_MESSAGE) return { type: "complete", serverId };
  if (type === OAUTH2_ERROR_MESSAGE) {
    return { type: "error", serverId, code: typeof code === "string" ? code : "" };
  }
  return null;
}

const ERROR_TEXT: Record<string, string> = {
  "oauth2.provider_error": "The authorization server did not grant access.",
  "oauth2.state_expired": "The sign-in took longer than 10 minutes. Try again.",
  "oauth2.state_missing": "The sign-in response was incomplete. Try again.",
  "oauth2.state_invalid": "The sign-in response was unknown or already used. Try again.",
  "oauth2.code_missing": "The authorization server sent no authorization code. Try again.",
  "oauth2.iss_mismatch":
    "The response came from a different authorization server than this server uses, so it was refused.",
  "oauth2.iss_missing":
    "The response did not say which authorization server sent it, so it was refused.",
  "oauth2.config_changed": "An admin changed the server's settings meanwhile. Try again.",
  "oauth2.token_exchange_failed": "The authorization server did not issue a token. Try again.",
  "mcp_server.not_found": "The MCP server no longer exists.",
  "auth.required": "Your toolgate session ended. Sign in again, then connect.",
};

/** A sentence for a failure code posted by the callback page. */
export function oauth2ErrorText(code: string): string {
  return ERROR_TEXT[code] ?? "The connection could not be completed. Try again.";
}

/** The window name: connecting a server twice reuses (and focuses) its popup. */
export const popupName = (serverId: string) => `toolgate-oauth2-${serverId}`;

/** `window.open` features for a popup centred on the current window. */
export function popupFeatures(
  win: Pick<Window, "screenX" | "screenY" | "outerWidth" | "outerHeight">,
): string {
  const width = 520;
  const height = 720;
  const left = Math.max(0, Math.round(win.screenX + (win.outerWidth - width) / 2));
  const top = Math.max(0, Math.round(win.screenY + (win.outerHeight - height) / 2));
  // No "noopener": the callback page reports back through window.opener.
  return `popup=yes,width=${width},height=${height},left=${left},top=${top}`;
}

/** The servers the Connections card lists: enabled ones that act with the user's identity. */
export function connectionServers(servers: readonly McpServerConfig[]): McpServerConfig[] {
  return servers
    .filter((s) => s.enabled && (s.auth_type === "oauth2" || s.auth_type === "user_oidc"))
    .sort((a, b) => a.display_name.localeCompare(b.display_name));
}

export type ConnectionState = "connected" | "not_connected" | "oidc_ready" | "oidc_missing";

export function connectionState(server: McpServerConfig): ConnectionState {
  if (server.auth_type === "user_oidc") {
    return server.auth_connected ? "oidc_ready" : "oidc_missing";
  }
  return server.auth_connected ? "connected" : "not_connected";
}

export const CONNECTION_STATE_LABELS: Record<ConnectionState, string> = {
  connected: "Connected",
  not_connected: "Not connected",
  oidc_ready: "Uses your OIDC sign-in",
  oidc_missing: "Sign in with OIDC to use",
};

/** Whether the chat's picker offers a Connect button for the server. */
export const needsOauth2Connect = (server: McpServerConfig) =>
  server.auth_type === "oauth2" && !server.auth_connected;
