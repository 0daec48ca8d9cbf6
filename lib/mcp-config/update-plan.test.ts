import { describe, expect, it } from "vitest";
import type { McpServerRow } from "@/db/queries/mcp-servers";
import { ApiError } from "@/lib/errors";
import type { UpdateMcpServer } from "@/lib/schemas/mcp-servers";
import {
  applyWrites,
  authSwitchWrites,
  headerWrites,
  oauth2Writes,
  planUpdate,
  plainWrites,
  secretWrites,
  type Sealer,
} from "./update-plan";

// The steps are pure: sealing is a visible stand-in, so a test can see what was sealed where.
const seal: Sealer = (column, plaintext) => `sealed(${column}:${plaintext})`;

function row(overrides: Partial<McpServerRow> = {}): McpServerRow {
  return {
    id: "7d1f0a52-0000-4000-8000-000000000001",
    displayName: "Docs",
    slug: "docs",
    description: "",
    iconUrl: "",
    url: "https://mcp.example.com/mcp",
    transport: "streamable_http",
    authType: "none",
    oauth2ClientId: "",
    oauth2ClientSecretEnc: null,
    oauth2AuthUrl: "",
    oauth2TokenUrl: "",
    oauth2Scopes: "",
    oauth2Issuer: "",
    oauth2RevocationUrl: "",
    oauth2Resource: "",
    oauth2TokenAuthMethod: "",
    oauth2IssRequired: false,
    oauth2Discovered: false,
    apiKeyHeader: "",
    apiKeyValueEnc: null,
    customHeadersEnc: null,
    customHeaderNames: [],
    toolAllowList: [],
    toolDenyList: [],
    availability: "default_off",
    enabled: false,
    modelIntent: false,
    allowInPlanMode: false,
    planModeTools: null,
    forwardIdentityHeaders: false,
    toolDefault: "enabled",
    pinToolDefinitions: true,
    version: 3,
    statusState: "unknown",
    statusCheckedAt: null,
    statusDetail: null,
    createdBy: null,
    createdAt: new Date(0),
    updatedAt: new Date(0),
    ...overrides,
  };
}

const discoveredRow = row({
  authType: "oauth2",
  oauth2ClientId: "registered",
  oauth2AuthUrl: "https://as.example.com/authorize",
  oauth2TokenUrl: "https://as.example.com/token",
  oauth2Issuer: "https://as.example.com",
  oauth2Resource: "https://mcp.example.com/mcp",
  oauth2TokenAuthMethod: "none",
  oauth2Discovered: true,
});

const plan = (current: McpServerRow, input: UpdateMcpServer, stored = {}) =>
  planUpdate(current, input, { seal, storedHeaders: () => stored });

function apiError(run: () => unknown): ApiError {
  try {
    run();
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error("expected an ApiError");
}

describe("applyWrites", () => {
  it("reports each changed field once, in order, and skips writes of the current value", () => {
    const result = applyWrites({ next: row(), changed: [] }, [
      { column: "enabled", value: true, field: "enabled" },
      { column: "slug", value: "docs", field: "slug" },
      { column: "customHeadersEnc", value: "x", field: "custom_headers" },
      { column: "customHeaderNames", value: ["A"], field: "custom_headers" },
    ]);
    expect(result.changed).toEqual(["enabled", "custom_headers"]);
    expect(result.next).toMatchObject({ enabled: true, customHeaderNames: ["A"] });
  });
});

describe("the write steps", () => {
  it("switching auth type clears every other type's columns, its own kept", () => {
    const columns = authSwitchWrites("api_key", "custom_headers").map((w) => w.column);
    expect(columns).toContain("oauth2ClientSecretEnc");
    expect(columns).toContain("oauth2Discovered");
    expect(columns).toContain("apiKeyValueEnc");
    expect(columns).not.toContain("customHeadersEnc");
    expect(authSwitchWrites("oauth2", "oauth2")).toEqual([]);
  });

  it("writes only the plain fields given", () => {
    expect(plainWrites({ enabled: true, tool_deny_list: ["rm"] })).toEqual([
      { column: "toolDenyList", value: ["rm"], field: "tool_deny_list" },
      { column: "enabled", value: true, field: "enabled" },
    ]);
  });

  it("seals a given secret and clears one given as null or empty", () => {
    expect(secretWrites({ api_key_value: "k", oauth2_client_secret: null }, seal)).toEqual([
      { column: "oauth2ClientSecretEnc", value: null, field: "oauth2_client_secret" },
      { column: "apiKeyValueEnc", value: "sealed(api_key_value_enc:k)", field: "api_key_value" },
    ]);
    expect(secretWrites({ api_key_value: "" }, seal)[0]!.value).toBeNull();
  });

  it("keeps stored header values for null, writes nothing when the values are the same", () => {
    const stored = { "X-A": "1", "X-B": "2" };
    expect(headerWrites({ "X-A": null, "X-B": null }, stored, seal)).toEqual([]);
    expect(headerWrites({ "X-B": null, "X-C": "3" }, stored, seal)).toEqual([
      {
        column: "customHeadersEnc",
        value: 'sealed(custom_headers_enc:{"X-B":"2","X-C":"3"})',
        field: "custom_headers",
      },
      { column: "customHeaderNames", value: ["X-B", "X-C"], field: "custom_headers" },
    ]);
    expect(headerWrites({}, stored, seal)[0]!.value).toBeNull();
  });

  it("refuses a kept header with nothing stored, and a name given twice", () => {
    const missing = apiError(() => headerWrites({ "X-New": null }, {}, seal));
    expect(missing.code).toBe("validation.invalid");
    expect(missing.message).toBe("custom_headers.X-New has no stored value to keep.");
    const twice = apiError(() => headerWrites({ "X-A": "1", "x-a": "2" }, {}, seal));
    expect(twice.message).toBe("custom_headers.x-a repeats a header name.");
  });

  it("forgets what discovery knew once a client is entered by hand", () => {
    const changed = { next: discoveredRow, changed: ["oauth2_client_id"] };
    const columns = oauth2Writes(changed, "oauth2", undefined).map((w) => w.column);
    expect(columns).toEqual(expect.arrayContaining(["oauth2Issuer", "oauth2Discovered"]));
    const moved = { next: row({ oauth2Resource: "https://old" }), changed: ["url"] };
    expect(oauth2Writes(moved, "none", undefined)).toEqual([
      { column: "oauth2Resource", value: "", field: "oauth2_discovery" },
    ]);
  });
});

describe("planUpdate", () => {
  it("changes nothing for a patch of the current values", () => {
    const result = plan(row({ enabled: true }), { enabled: true, slug: "docs" });
    expect(result).toMatchObject({ changed: [], dropsTokens: false });
  });

  it("moving a config drops every user's token; a discovered one keeps its resource", () => {
    const result = plan(discoveredRow, { url: "https://mcp.example.com/v2" });
    expect(result.changed).toEqual(["url"]);
    expect(result.next.oauth2Resource).toBe("https://mcp.example.com/mcp");
    expect(result.dropsTokens).toBe(true);
  });

  it("switching to api_key clears OAuth2 and drops the tokens", () => {
    const result = plan(discoveredRow, {
      auth_type: "api_key",
      api_key_header: "X-Key",
      api_key_value: "secret",
    });
    expect(result.next).toMatchObject({
      authType: "api_key",
      oauth2ClientId: "",
      oauth2Discovered: false,
      apiKeyValueEnc: "sealed(api_key_value_enc:secret)",
    });
    expect(result.changed).toEqual([
      "oauth2_client_id",
      "oauth2_auth_url",
      "oauth2_token_url",
      "oauth2_discovery",
      "auth_type",
      "api_key_header",
      "api_key_value",
    ]);
    expect(result.dropsTokens).toBe(true);
  });

  it("takes what discovery found as the OAuth2 client", () => {
    const result = planUpdate(
      row(),
      { auth_type: "oauth2" },
      {
        seal,
        storedHeaders: () => ({}),
        discovered: {
          oauth2ClientId: "dcr-client",
          oauth2ClientSecretEnc: "sealed-by-discovery",
          oauth2AuthUrl: "https://as.example.com/authorize",
          oauth2TokenUrl: "https://as.example.com/token",
          oauth2Scopes: "mcp",
          oauth2Issuer: "https://as.example.com",
          oauth2RevocationUrl: "",
          oauth2Resource: "https://mcp.example.com/mcp",
          oauth2TokenAuthMethod: "client_secret_basic",
          oauth2IssRequired: true,
          oauth2Discovered: true,
        },
      },
    );
    expect(result.changed).toEqual([
      "auth_type",
      "oauth2_client_id",
      "oauth2_client_secret",
      "oauth2_auth_url",
      "oauth2_token_url",
      "oauth2_discovery",
      "oauth2_scopes",
    ]);
    expect(result.next.oauth2IssRequired).toBe(true);
  });

  it("refuses another type's fields, and a result its auth type cannot work with", () => {
    const foreign = apiError(() => plan(row(), { api_key_header: "X-Key" }));
    expect(foreign.code).toBe("validation.invalid");
    expect(foreign.message).toBe("api_key_header applies only when auth_type is api_key.");
    const incomplete = apiError(() => plan(row(), { auth_type: "api_key" }));
    expect(incomplete.code).toBe("mcp_server.auth_type_incomplete");
    expect(incomplete.validations?.map((v) => v.field)).toEqual([
      "api_key_header",
      "api_key_value",
    ]);
    const partial = apiError(() =>
      plan(discoveredRow, { oauth2_auth_url: "", oauth2_client_id: "manual" }),
    );
    expect(partial.code).toBe("mcp_server.oauth2_partial");
  });
});
