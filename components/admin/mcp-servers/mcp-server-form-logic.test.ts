import { describe, expect, it } from "vitest";
import { createMcpServerBody, updateMcpServerBody } from "@/lib/schemas/mcp-servers";
import {
  configToForm,
  emptyForm,
  isDirty,
  newHeaderRow,
  normalizeList,
  storedSecrets,
  toCreateBody,
  toUpdateBody,
  withDisplayName,
  withSlug,
} from "./mcp-server-form-logic";
import { config, form } from "./mcp-server-form-test-fixtures";

describe("slug auto-generation", () => {
  it("follows the display name until the slug is edited", () => {
    let v = withDisplayName(emptyForm(), "Ünïcode Docs Search!");
    expect(v.slug).toBe("unicode-docs-search");
    v = withSlug(v, "docs");
    v = withDisplayName(v, "Something else");
    expect(v.slug).toBe("docs");
    expect(v.display_name).toBe("Something else");
  });

  it("resumes following the name when the slug is cleared", () => {
    let v = withSlug(withDisplayName(emptyForm(), "A"), "");
    expect(v.slugEdited).toBe(false);
    v = withDisplayName(v, "Linear tickets");
    expect(v.slug).toBe("linear-tickets");
  });

  it("never moves the slug of a saved server", () => {
    const v = withDisplayName(configToForm(config()), "Renamed");
    expect(v.slug).toBe("docs-search");
  });
});

describe("configToForm", () => {
  it("never pre-fills secrets and pre-fills stored header names without values", () => {
    const v = configToForm(
      config({
        auth_type: "custom_headers",
        has_custom_headers: true,
        custom_header_names: ["X-Team", "X-Env"],
        transport: "",
      }),
    );
    expect(v.custom_headers.map((r) => [r.name, r.value, r.storedName])).toEqual([
      ["X-Team", "", "X-Team"],
      ["X-Env", "", "X-Env"],
    ]);
    expect(v.api_key_value).toEqual({ value: "", clear: false });
    expect(v.oauth2_client_secret).toEqual({ value: "", clear: false });
    expect(v.transport).toBe("streamable_http");
  });

  it("maps plan_mode_tools null to an empty list", () => {
    expect(configToForm(config()).plan_mode_tools).toEqual([]);
    expect(configToForm(config({ plan_mode_tools: ["search"] })).plan_mode_tools).toEqual([
      "search",
    ]);
  });
});

describe("normalizeList", () => {
  it("trims, drops blanks and duplicates, keeping order", () => {
    expect(normalizeList([" b", "a", "", "b ", "  "])).toEqual(["b", "a"]);
  });
});

describe("toCreateBody", () => {
  it("sends only the chosen auth type's fields and omits an empty slug", () => {
    const body = toCreateBody(
      form({
        auth_type: "api_key",
        api_key_header: " X-API-Key ",
        api_key_value: { value: "s3cret", clear: false },
        oauth2_client_id: "left over",
        custom_headers: [{ ...newHeaderRow("X-Left"), value: "over" }],
      }),
    );
    expect(body).toMatchObject({ auth_type: "api_key", api_key_header: "X-API-Key" });
    expect(body.api_key_value).toBe("s3cret");
    expect(body).not.toHaveProperty("slug");
    expect(body).not.toHaveProperty("oauth2_client_id");
    expect(body).not.toHaveProperty("custom_headers");
    expect(createMcpServerBody.safeParse(body).success).toBe(true);
  });

  it("maps an empty plan-mode tool list to null and keeps a narrowed one", () => {
    expect(toCreateBody(form()).plan_mode_tools).toBeNull();
    expect(toCreateBody(form({ plan_mode_tools: ["a", " a", "b"] })).plan_mode_tools).toEqual([
      "a",
      "b",
    ]);
  });

  it("builds custom headers from filled rows and leaves out an untyped OAuth2 secret", () => {
    const headers = toCreateBody(
      form({
        auth_type: "custom_headers",
        custom_headers: [{ ...newHeaderRow(" X-Team "), value: "blue" }, newHeaderRow()],
      }),
    );
    expect(headers.custom_headers).toEqual({ "X-Team": "blue" });
    const oauth = toCreateBody(form({ auth_type: "oauth2" }));
    expect(oauth).not.toHaveProperty("oauth2_client_secret");
    expect(oauth.oauth2_client_id).toBe("");
  });
});

describe("toUpdateBody", () => {
  it("is empty when nothing changed, for every auth type", () => {
    for (const c of [
      config(),
      config({ auth_type: "api_key", api_key_header: "X-API-Key", has_api_key: true }),
      config({
        auth_type: "oauth2",
        oauth2_client_id: "id",
        oauth2_auth_url: "https://auth.example.com/authorize",
        oauth2_token_url: "https://auth.example.com/token",
        has_oauth2_secret: true,
      }),
      config({
        auth_type: "custom_headers",
        custom_header_names: ["X-A", "X-B"],
        has_custom_headers: true,
      }),
      config({ plan_mode_tools: [] }),
    ]) {
      const values = configToForm(c);
      expect(toUpdateBody(values, c)).toEqual({});
      expect(isDirty(values, c)).toBe(false);
    }
  });

  it("sends only changed fields, with lists normalized", () => {
    const c = config({ tool_allow_list: ["a"] });
    const values = {
      ...configToForm(c),
      display_name: "Docs ",
      url: " https://mcp.example.com/v2 ",
      allow_in_plan_mode: true,
      tool_allow_list: ["a", "b", " b"],
      tool_deny_list: [" "],
      availability: "force_on" as const,
    };
    expect(toUpdateBody(values, c)).toEqual({
      display_name: "Docs",
      url: "https://mcp.example.com/v2",
      allow_in_plan_mode: true,
      tool_allow_list: ["a", "b"],
      availability: "force_on",
    });
  });

  it("sends plan_mode_tools null when the narrowing list is emptied", () => {
    const c = config({ allow_in_plan_mode: true, plan_mode_tools: ["search"] });
    expect(toUpdateBody({ ...configToForm(c), plan_mode_tools: [] }, c)).toEqual({
      plan_mode_tools: null,
    });
    expect(toUpdateBody({ ...configToForm(config()), plan_mode_tools: ["x"] }, config())).toEqual({
      plan_mode_tools: ["x"],
    });
  });

  describe("secrets", () => {
    const c = config({ auth_type: "api_key", api_key_header: "X-API-Key", has_api_key: true });

    it("keeps a stored secret when the field is untouched", () => {
      expect(toUpdateBody(configToForm(c), c)).not.toHaveProperty("api_key_value");
    });

    it("replaces it when the admin typed a value", () => {
      const v = { ...configToForm(c), api_key_value: { value: "new", clear: false } };
      expect(toUpdateBody(v, c)).toEqual({ api_key_value: "new" });
    });

    it("clears it with null, and a value typed after Clear wins", () => {
      const cleared = { ...configToForm(c), api_key_value: { value: "", clear: true } };
      expect(toUpdateBody(cleared, c)).toEqual({ api_key_value: null });
      const retyped = { ...configToForm(c), api_key_value: { value: "v2", clear: true } };
      expect(toUpdateBody(retyped, c)).toEqual({ api_key_value: "v2" });
    });

    it("does not send a clear for a secret that is not stored", () => {
      const none = config({ auth_type: "api_key", api_key_header: "X-API-Key" });
      const v = { ...configToForm(none), api_key_value: { value: "", clear: true } };
      expect(toUpdateBody(v, none)).toEqual({});
    });

    it("handles the OAuth2 client secret the same way", () => {
      const o = config({
        auth_type: "oauth2",
        oauth2_client_id: "id",
        oauth2_auth_url: "https://a.example.com/auth",
        oauth2_token_url: "https://a.example.com/token",
        has_oauth2_secret: true,
      });
      const v = { ...configToForm(o), oauth2_client_secret: { value: "", clear: true } };
      expect(toUpdateBody(v, o)).toEqual({ oauth2_client_secret: null });
    });
  });

  describe("auth type changes", () => {
    it("sends the new type's fields and none of the old type's", () => {
      const c = config({ auth_type: "api_key", api_key_header: "X-API-Key", has_api_key: true });
      const v = {
        ...configToForm(c),
        auth_type: "oauth2" as const,
        api_key_value: { value: "ignored", clear: false },
      };
      expect(toUpdateBody(v, c)).toEqual({
        auth_type: "oauth2",
        oauth2_client_id: "",
        oauth2_auth_url: "",
        oauth2_token_url: "",
        oauth2_scopes: "",
      });
    });

    it("sends an api key header even when it equals the old (cleared) value", () => {
      const c = config({ auth_type: "none" });
      const v = {
        ...configToForm(c),
        auth_type: "api_key" as const,
        api_key_header: "X-API-Key",
        api_key_value: { value: "k", clear: false },
      };
      expect(toUpdateBody(v, c)).toEqual({
        auth_type: "api_key",
        api_key_header: "X-API-Key",
        api_key_value: "k",
      });
    });

    it("switching to none sends only the type", () => {
      const c = config({ auth_type: "custom_headers", custom_header_names: ["X-A"] });
      expect(toUpdateBody({ ...configToForm(c), auth_type: "none" }, c)).toEqual({
        auth_type: "none",
      });
    });
  });

  describe("custom headers", () => {
    const c = config({
      auth_type: "custom_headers",
      custom_header_names: ["X-A", "X-B"],
      has_custom_headers: true,
    });

    it("keeps untouched stored values with null when one value changes", () => {
      const v = configToForm(c);
      v.custom_headers[1] = { ...v.custom_headers[1]!, value: "new-b" };
      expect(toUpdateBody(v, c)).toEqual({ custom_headers: { "X-A": null, "X-B": "new-b" } });
    });

    it("drops a removed header by leaving its name out", () => {
      const v = configToForm(c);
      v.custom_headers = v.custom_headers.slice(0, 1);
      expect(toUpdateBody(v, c)).toEqual({ custom_headers: { "X-A": null } });
    });

    it("adds a new header with its value and ignores blank rows", () => {
      const v = configToForm(c);
      v.custom_headers.push({ ...newHeaderRow("X-C"), value: "c" }, newHeaderRow());
      expect(toUpdateBody(v, c)).toEqual({
        custom_headers: { "X-A": null, "X-B": null, "X-C": "c" },
      });
    });

    it("a renamed header sends its typed value under the new name", () => {
      const v = configToForm(c);
      v.custom_headers[0] = { ...v.custom_headers[0]!, name: "X-Z", value: "z" };
      expect(toUpdateBody(v, c)).toEqual({ custom_headers: { "X-Z": "z", "X-B": null } });
    });

    it("produces a body the update schema accepts", () => {
      const v = configToForm(c);
      v.custom_headers.push({ ...newHeaderRow("X-C"), value: "c" });
      expect(updateMcpServerBody.safeParse(toUpdateBody(v, c)).success).toBe(true);
    });
  });
});

describe("storedSecrets", () => {
  it("is true only for the same auth type and while not cleared", () => {
    const c = config({ auth_type: "api_key", has_api_key: true, api_key_header: "X" });
    expect(storedSecrets(configToForm(c), c).apiKey).toBe(true);
    expect(storedSecrets({ ...configToForm(c), auth_type: "oauth2" }, c).apiKey).toBe(false);
    const cleared = { ...configToForm(c), api_key_value: { value: "", clear: true } };
    expect(storedSecrets(cleared, c).apiKey).toBe(false);
    expect(storedSecrets(form({ auth_type: "api_key" })).apiKey).toBe(false);
  });
});
