// What `npm run conformance` (scripts/conformance.mjs) expects of the pinned suite, per
// requirement set: every client scenario the suite lists for the set (scored and never-scored
// alike; a full run must find exactly these), and the ones toolgate knowingly fails, each with
// its reason (mirrored in the README). Update both when bumping the suite.

const CLIENT_CREDENTIALS =
  "an extension (never scored): the client_credentials grant gives a server one machine identity for everybody; toolgate's OAuth2 servers act for each member (authorization code flow), and a shared identity is what a server's static bearer or API-key header is for";
const ENTERPRISE =
  "an extension (never scored): enterprise-managed authorization (an ID-JAG from the member's identity provider exchanged at the MCP authorization server) is not implemented";
const DPOP = "an extension (never scored): DPoP-bound tokens are not implemented";
const WIF =
  "an extension (never scored): workload identity federation (a JWT bearer grant from the host's platform identity) gives one machine identity, like client_credentials";

export const REQUIREMENT_SETS = {
  "2026-07-28": {
    scenarios: [
      "tools_call",
      "request-metadata",
      "auth/metadata-default",
      "auth/metadata-var1",
      "auth/metadata-var2",
      "auth/metadata-var3",
      "auth/basic-cimd",
      "auth/scope-from-www-authenticate",
      "auth/scope-from-scopes-supported",
      "auth/scope-omitted-when-undefined",
      "auth/scope-step-up",
      "auth/scope-retry-limit",
      "auth/token-endpoint-auth-basic",
      "auth/token-endpoint-auth-post",
      "auth/token-endpoint-auth-none",
      "auth/pre-registration",
      "auth/resource-mismatch",
      "auth/offline-access-scope",
      "auth/offline-access-not-supported",
      "auth/authorization-server-migration",
      "auth/iss-supported",
      "auth/iss-not-advertised",
      "auth/iss-supported-missing",
      "auth/iss-wrong-issuer",
      "auth/iss-unexpected",
      "auth/iss-normalized",
      "auth/metadata-issuer-mismatch",
      "sep-2322-client-request-state",
      "http-standard-headers",
      "http-custom-headers",
      "http-invalid-tool-headers",
      "json-schema-ref-no-deref",
      // Never scored: extensions, and one added after the set was frozen.
      "auth/client-credentials-jwt",
      "auth/client-credentials-basic",
      "auth/enterprise-managed-authorization",
      "auth/dpop",
      "auth/dpop-nonce",
      "auth/wif-jwt-bearer",
      "json-schema-2020-12-preservation",
    ],
    expectedFailures: {
      "auth/client-credentials-jwt": CLIENT_CREDENTIALS,
      "auth/client-credentials-basic": CLIENT_CREDENTIALS,
      "auth/enterprise-managed-authorization": ENTERPRISE,
      "auth/dpop": DPOP,
      "auth/dpop-nonce": DPOP,
      "auth/wif-jwt-bearer": WIF,
    },
  },
  "2025-11-25": {
    scenarios: [
      "initialize",
      "tools_call",
      "elicitation-sep1034-client-defaults",
      "sse-retry",
      "auth/metadata-default",
      "auth/metadata-var1",
      "auth/metadata-var2",
      "auth/metadata-var3",
      "auth/basic-cimd",
      "auth/scope-from-www-authenticate",
      "auth/scope-from-scopes-supported",
      "auth/scope-omitted-when-undefined",
      "auth/scope-step-up",
      "auth/scope-retry-limit",
      "auth/token-endpoint-auth-basic",
      "auth/token-endpoint-auth-post",
      "auth/token-endpoint-auth-none",
      "auth/pre-registration",
      // Never scored: extensions, and one added after the set was frozen.
      "auth/client-credentials-jwt",
      "auth/client-credentials-basic",
      "auth/enterprise-managed-authorization",
      "auth/dpop",
      "auth/dpop-nonce",
      "auth/wif-jwt-bearer",
      "json-schema-2020-12-preservation",
    ],
    expectedFailures: {
      "auth/client-credentials-jwt": CLIENT_CREDENTIALS,
      "auth/client-credentials-basic": CLIENT_CREDENTIALS,
      "auth/enterprise-managed-authorization": ENTERPRISE,
      "auth/dpop": DPOP,
      "auth/dpop-nonce": DPOP,
      "auth/wif-jwt-bearer": WIF,
    },
  },
};
