// Words the admin panel uses for the API's enum values, shared by the list, form and test panel.
import type { Availability, AuthType, Transport } from "@/lib/schemas/mcp-servers";
import { toolReasonText } from "@/lib/policy/reasons";

export const TRANSPORT_LABELS: Record<Transport, string> = {
  streamable_http: "Streamable HTTP",
  sse: "SSE",
};

export const AUTH_TYPE_LABELS: Record<AuthType, string> = {
  none: "None",
  oauth2: "OAuth2",
  api_key: "API key",
  custom_headers: "Custom headers",
  user_oidc: "User OIDC identity",
};

export const AVAILABILITY_OPTIONS: { value: Availability; label: string; description: string }[] = [
  {
    value: "force_on",
    label: "Always on",
    description: "Always on in every chat; users cannot turn it off.",
  },
  {
    value: "default_on",
    label: "On by default",
    description: "On in new chats; users can turn it off.",
  },
  {
    value: "default_off",
    label: "Off by default",
    description: "Off until a user picks it in a chat.",
  },
];

export const AVAILABILITY_LABELS = Object.fromEntries(
  AVAILABILITY_OPTIONS.map((o) => [o.value, o.label]),
) as Record<Availability, string>;

/** Tool policy reason codes (lib/policy) as the admin reads them. */
/** The same words the chat's tools explainer and the notices use for the reason. */
export const policyReasonLabel = (reason: string) => toolReasonText(reason);

const TEST_ERRORS: Record<string, { title: string; hint: string }> = {
  "mcp.unreachable": {
    title: "Cannot reach the server",
    hint: "Check the URL and that the server is running and reachable from toolgate.",
  },
  "mcp.auth_required": {
    title: "The server needs authentication",
    hint: "Check the authentication settings. OAuth2 and user OIDC servers are tested with your own sign-in, so connect your account from a chat first.",
  },
  "mcp.not_mcp_server": {
    title: "Not an MCP server",
    hint: "Something answered, but not with the MCP protocol. Check the URL path and the transport.",
  },
  "mcp.timeout": {
    title: "Timed out",
    hint: "The server did not answer in time. Check that it is running and not overloaded.",
  },
  "mcp.protocol_error": {
    title: "The MCP exchange failed",
    hint: "The server answered but the exchange did not complete. The message says where it stopped.",
  },
  "mcp.invalid_config": {
    title: "The saved configuration is incomplete",
    hint: "Check the URL, transport and authentication settings, save, and test again.",
  },
  "mcp.cancelled": { title: "Test cancelled", hint: "Run the test again." },
};

const EGRESS_ERROR = {
  title: "Blocked by the egress guard",
  hint: "The address is loopback, private, link-local or a metadata service. If you trust it, an operator can list the host in EGRESS_ALLOWLIST.",
};

/** A friendly title and next step for a failed connection test, by its error code. */
export function describeTestError(code: string): { title: string; hint: string } {
  if (code.startsWith("egress.")) return EGRESS_ERROR;
  return (
    TEST_ERRORS[code] ?? {
      title: "Connection failed",
      hint: "Check the URL, transport and authentication settings.",
    }
  );
}
