import { describe, expect, it } from "vitest";
import { safeRedirectPath, safeRedirectUrl } from "./redirect";

const APP = "http://127.0.0.1:4640";

describe("safeRedirectPath", () => {
  it.each([
    ["/chat/123?x=1#m", "/chat/123?x=1#m"],
    ["/settings", "/settings"],
    ["chat", "/chat"],
    [`${APP}/admin`, "/admin"],
  ])("keeps %s on the app's origin", (raw, expected) => {
    expect(safeRedirectPath(raw, APP)).toBe(expected);
  });

  it.each([
    "/\\127.0.0.1:4641/x",
    "/\\evil.example/x",
    "\\\\evil.example",
    "/\t/evil.example/x",
    "/\n/evil.example",
    "//evil.example",
    "https://evil.example/",
    "http://127.0.0.1:4641/",
    "https://127.0.0.1:4640/",
    "javascript:alert(1)",
    "data:text/html,x",
    " //evil.example",
    "http://[::1",
    "",
  ])("falls back for %j", (raw) => {
    expect(safeRedirectPath(raw, APP)).toBe("/");
  });

  it("gives an absolute URL on the app's origin for Auth.js", () => {
    expect(safeRedirectUrl("/login", APP)).toBe(`${APP}/login`);
    expect(safeRedirectUrl("/\\evil.example", APP)).toBe(`${APP}/`);
    expect(safeRedirectUrl(undefined, APP, "/chat")).toBe(`${APP}/chat`);
  });
});
