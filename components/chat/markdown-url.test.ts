import { describe, expect, it } from "vitest";
import { safeHref } from "./markdown-url";

describe("safeHref", () => {
  it.each([
    ["https://example.com/a?b=c", "https://example.com/a?b=c"],
    [" http://example.com ", "http://example.com"],
    ["mailto:someone@example.com", "mailto:someone@example.com"],
    ["javascript:alert(1)", null],
    ["JaVaScRiPt:alert(1)", null],
    ["data:text/html,<script>alert(1)</script>", null],
    ["/relative/path", null],
    ["vbscript:msgbox", null],
  ])("%j → %j", (href, expected) => {
    expect(safeHref(href)).toBe(expected);
  });
});
