import { describe, expect, it } from "vitest";
import {
  authProblems,
  authTypeOwning,
  foreignAuthFields,
  headerProblems,
  oauth2Setup,
} from "./mcp-auth";

describe("the auth types' fields", () => {
  it("names the owner of each auth field and none for the others", () => {
    expect(authTypeOwning("oauth2_scopes")).toBe("oauth2");
    expect(authTypeOwning("api_key_value")).toBe("api_key");
    expect(authTypeOwning("custom_headers")).toBe("custom_headers");
    expect(authTypeOwning("url")).toBeUndefined();
  });

  it("finds the non-empty fields of other types, and nothing for none's own empty defaults", () => {
    const body = {
      auth_type: "api_key",
      api_key_header: "X-Key",
      oauth2_client_id: "leftover",
      oauth2_scopes: "",
      custom_headers: {},
    };
    expect(foreignAuthFields("api_key", body)).toEqual([
      { field: "oauth2_client_id", owner: "oauth2" },
    ]);
    expect(foreignAuthFields("user_oidc", body)).toEqual([
      { field: "oauth2_client_id", owner: "oauth2" },
      { field: "api_key_header", owner: "api_key" },
    ]);
    expect(foreignAuthFields("none", { custom_headers: { A: "1" } })).toEqual([
      { field: "custom_headers", owner: "custom_headers" },
    ]);
  });
});

describe("oauth2Setup", () => {
  const fields = (id: string, auth: string, token: string) => ({
    oauth2_client_id: id,
    oauth2_auth_url: auth,
    oauth2_token_url: token,
  });

  it("is manual with all three, discovery with none, partial otherwise", () => {
    expect(oauth2Setup(fields("id", "https://a", "https://t"))).toEqual({ kind: "manual" });
    expect(oauth2Setup(fields("", " ", ""))).toEqual({ kind: "discover" });
    expect(oauth2Setup(fields("id", "", " "))).toEqual({
      kind: "partial",
      missing: ["oauth2_auth_url", "oauth2_token_url"],
    });
  });
});

describe("authProblems", () => {
  it("has nothing to ask of none and user_oidc", () => {
    expect(authProblems({ type: "none" })).toEqual([]);
    expect(authProblems({ type: "user_oidc" })).toEqual([]);
  });

  it("wants an API key's header and value", () => {
    expect(authProblems({ type: "api_key", header: " ", hasValue: false })).toEqual([
      { kind: "required", field: "api_key_header" },
      { kind: "required", field: "api_key_value" },
    ]);
    expect(authProblems({ type: "api_key", header: "X-Key", hasValue: true })).toEqual([]);
  });

  it("wants OAuth2's three client fields together; none is left to discovery", () => {
    const oauth2 = { type: "oauth2" as const, hasClientSecret: false };
    expect(authProblems({ ...oauth2, clientId: "", authUrl: "", tokenUrl: "" })).toEqual([
      { kind: "oauth2_undiscovered" },
    ]);
    expect(authProblems({ ...oauth2, clientId: "c", authUrl: "https://a", tokenUrl: "" })).toEqual([
      { kind: "oauth2_partial", missing: ["oauth2_token_url"] },
    ]);
    expect(
      authProblems({ ...oauth2, clientId: "c", authUrl: "https://a", tokenUrl: "https://t" }),
    ).toEqual([]);
  });

  it("wants at least one header, each named once (any case) with a value", () => {
    expect(authProblems({ type: "custom_headers", headers: [] })).toEqual([{ kind: "no_headers" }]);
    expect(
      headerProblems([
        { name: "X-A", hasValue: true },
        { name: "x-a", hasValue: true },
        { name: "", hasValue: true },
        { name: "X-B", hasValue: false },
      ]),
    ).toEqual([
      { kind: "header_repeated", index: 1, name: "x-a" },
      { kind: "header_unnamed", index: 2 },
      { kind: "header_no_value", index: 3, name: "X-B" },
    ]);
  });
});
