import { describe, expect, it } from "vitest";
import { configToForm, newHeaderRow, withDisplayName } from "./mcp-server-form-logic";
import { config, form } from "./mcp-server-form-test-fixtures";
import {
  buildCreateRequest,
  buildUpdateRequest,
  errorFor,
  fieldMessage,
  headerRowError,
  isOauth2DiscoveryProblem,
  serverFieldErrors,
  willDiscoverOauth2,
} from "./mcp-server-form-validation";

describe("buildCreateRequest", () => {
  it("validates with the shared schema and names the fields", () => {
    const result = buildCreateRequest(form({ display_name: " ", url: "ftp://x", slug: "Bad" }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.display_name).toBe("Display name is required");
    expect(result.errors.url).toBe("URL must use http or https");
    const empty = buildCreateRequest(form({ url: " " }));
    expect(empty.ok || empty.errors.url).toBe("URL is required");
    expect(result.errors.slug).toMatch(/^Slug must be 1-32 lowercase/);
  });

  it("accepts a minimal server", () => {
    const result = buildCreateRequest(withDisplayName(form(), "Docs search"));
    expect(result).toEqual({
      ok: true,
      body: expect.objectContaining({ slug: "docs-search", url: "https://mcp.example.com/mcp" }),
    });
  });

  it("requires the API key header and value", () => {
    const result = buildCreateRequest(form({ auth_type: "api_key" }));
    expect(result.ok || result.errors).toEqual({
      api_key_header: "Header name is required",
      api_key_value: "Key value is required",
    });
  });

  it("refuses a partial OAuth2 configuration but allows discovery (all empty)", () => {
    const partial = buildCreateRequest(form({ auth_type: "oauth2", oauth2_client_id: "id" }));
    expect(partial.ok).toBe(false);
    if (!partial.ok) {
      expect(Object.keys(partial.errors).sort()).toEqual(["oauth2_auth_url", "oauth2_token_url"]);
    }
    expect(buildCreateRequest(form({ auth_type: "oauth2" })).ok).toBe(true);
  });

  it("checks header rows: at least one, names, duplicates, values", () => {
    const none = buildCreateRequest(form({ auth_type: "custom_headers" }));
    expect(none.ok || none.errors).toEqual({ custom_headers: "Add at least one header" });

    const rows = [
      { ...newHeaderRow("X-A"), value: "1" },
      { ...newHeaderRow("x-a"), value: "2" },
      { ...newHeaderRow(""), value: "orphan" },
      newHeaderRow("X-Empty"),
      { ...newHeaderRow("Bad Name"), value: "v" },
    ];
    const result = buildCreateRequest(form({ auth_type: "custom_headers", custom_headers: rows }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(headerRowError(result.errors, rows[1]!, 1)).toBe("Header “x-a” is listed twice");
    expect(headerRowError(result.errors, rows[2]!, 2)).toBe("Header name is required");
    expect(headerRowError(result.errors, rows[3]!, 3)).toBe("Header “X-Empty” needs a value");
    expect(headerRowError(result.errors, rows[4]!, 4)).toMatch(
      /^Header “Bad Name” must be a valid/,
    );
    expect(headerRowError(result.errors, rows[0]!, 0)).toBeUndefined();
  });
});

describe("buildUpdateRequest", () => {
  it("does not ask again for a stored API key", () => {
    const c = config({ auth_type: "api_key", api_key_header: "X-API-Key", has_api_key: true });
    expect(buildUpdateRequest({ ...configToForm(c), enabled: true }, c)).toEqual({
      ok: true,
      body: { enabled: true },
    });
  });

  it("asks for a value once the stored key is cleared", () => {
    const c = config({ auth_type: "api_key", api_key_header: "X-API-Key", has_api_key: true });
    const v = { ...configToForm(c), api_key_value: { value: "", clear: true } };
    const result = buildUpdateRequest(v, c);
    expect(result.ok || result.errors).toEqual({ api_key_value: "Key value is required" });
  });

  it("keeps stored headers without values but wants one for a renamed header", () => {
    const c = config({ auth_type: "custom_headers", custom_header_names: ["X-A"] });
    expect(buildUpdateRequest(configToForm(c), c).ok).toBe(true);
    const v = configToForm(c);
    v.custom_headers[0] = { ...v.custom_headers[0]!, name: "X-B" };
    const result = buildUpdateRequest(v, c);
    expect(result.ok || result.errors).toEqual({
      "custom_headers.X-B": "Header “X-B” needs a value",
    });
  });

  it("reports list entry errors under the list", () => {
    const c = config();
    const result = buildUpdateRequest({ ...configToForm(c), tool_deny_list: ["x".repeat(200)] }, c);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(errorFor(result.errors, "tool_deny_list")).toBe(
        "Tool deny list must be at most 128 characters",
      );
    }
  });
});

describe("server errors", () => {
  it("maps validations to fields with labels", () => {
    expect(
      serverFieldErrors({
        code: "validation.invalid",
        message: "url must use http or https.",
        validations: [
          { field: "url", detail: "must use http or https" },
          { field: "custom_headers.X-Foo", detail: "must not contain CR, LF or NUL" },
          { field: "tool_allow_list[1]", detail: "must not be empty" },
        ],
      }),
    ).toEqual({
      url: "URL must use http or https",
      "custom_headers.X-Foo": "Header “X-Foo” must not contain CR, LF or NUL",
      "tool_allow_list[1]": "Tool allow list must not be empty",
    });
  });

  it("puts code-specific errors beside their field", () => {
    expect(
      serverFieldErrors({
        code: "mcp_server.slug_conflict",
        message: "Another server uses the slug docs.",
        validations: [],
      }),
    ).toEqual({ slug: "Another server uses the slug docs." });
    expect(
      serverFieldErrors({
        code: "egress.destination_not_allowed",
        message: "127.0.0.1 is not an allowed destination.",
        validations: [],
      }),
    ).toEqual({ url: "127.0.0.1 is not an allowed destination." });
  });

  it("leaves other problems for the alert", () => {
    expect(
      serverFieldErrors({
        code: "mcp_server.version_conflict",
        message: "Someone else changed it.",
        validations: [],
      }),
    ).toEqual({});
  });

  it("labels unknown fields with their own name", () => {
    expect(fieldMessage("mystery", "unknown field")).toBe("mystery unknown field");
  });
});

describe("automatic OAuth2 setup", () => {
  it("runs when OAuth2 has no client ID and no endpoints", () => {
    expect(willDiscoverOauth2(form({ auth_type: "oauth2" }))).toBe(true);
    expect(willDiscoverOauth2(form({ auth_type: "oauth2", oauth2_scopes: "mcp" }))).toBe(true);
    expect(willDiscoverOauth2(form({ auth_type: "oauth2", oauth2_client_id: "id" }))).toBe(false);
    expect(willDiscoverOauth2(form({ auth_type: "none" }))).toBe(false);
  });

  it("recognises a failed discovery, also when the egress guard refused a step", () => {
    const atStep = [{ field: "url", detail: "OAuth2 discovery failed at step registration" }];
    expect(
      isOauth2DiscoveryProblem({ code: "mcp_server.oauth2_discovery_failed", validations: atStep }),
    ).toBe(true);
    expect(
      isOauth2DiscoveryProblem({ code: "egress.destination_not_allowed", validations: atStep }),
    ).toBe(true);
    expect(
      isOauth2DiscoveryProblem({
        code: "egress.destination_not_allowed",
        validations: [{ field: "url", detail: "is not an allowed destination" }],
      }),
    ).toBe(false);
  });
});
