import { describe, expect, it } from "vitest";
import { safeRedirectPath } from "./redirect";
import { loginPathFor, requestedPath } from "./requested-path";

const APP = "http://127.0.0.1:4640";

describe("requestedPath", () => {
  it("keeps the path and query, drops Next's transport parameter", () => {
    expect(requestedPath(new URL(`${APP}/admin/mcp-servers`))).toBe("/admin/mcp-servers");
    expect(requestedPath(new URL(`${APP}/chat/1?q=a+b&_rsc=xyz`))).toBe("/chat/1?q=a+b");
  });
});

describe("loginPathFor", () => {
  it.each([
    [null, "/login"],
    ["/", "/login"],
    ["/login", "/login"],
    ["/login?callbackUrl=%2Fx", "/login"],
    ["//evil.example/x", "/login"],
    ["https://evil.example/", "/login"],
    ["/admin/mcp-servers", "/login?callbackUrl=%2Fadmin%2Fmcp-servers"],
    ["/chat/1?q=a b", "/login?callbackUrl=%2Fchat%2F1%3Fq%3Da+b"],
  ])("%j → %s", (requested, expected) => {
    expect(loginPathFor(requested)).toBe(expected);
  });

  it("round-trips through the login page's check back to the same page", () => {
    const login = new URL(loginPathFor("/admin/mcp-servers?tab=x"), APP);
    expect(safeRedirectPath(login.searchParams.get("callbackUrl"), APP)).toBe(
      "/admin/mcp-servers?tab=x",
    );
  });
});
