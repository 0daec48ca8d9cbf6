import { describe, expect, it } from "vitest";
import { parseInline, parseMarkdown, safeHref } from "./markdown-parse";

describe("parseMarkdown", () => {
  it("splits paragraphs on blank lines and keeps single line breaks", () => {
    expect(parseMarkdown("one\ntwo\n\nthree")).toEqual([
      { type: "paragraph", children: [{ type: "text", text: "one\ntwo" }] },
      { type: "paragraph", children: [{ type: "text", text: "three" }] },
    ]);
  });

  it("reads fenced code verbatim, including an unclosed fence while streaming", () => {
    expect(parseMarkdown("```ts\nconst a = **1**;\n```\nafter")).toEqual([
      { type: "code", lang: "ts", text: "const a = **1**;" },
      { type: "paragraph", children: [{ type: "text", text: "after" }] },
    ]);
    expect(parseMarkdown("```\npartial")).toEqual([{ type: "code", lang: "", text: "partial" }]);
  });

  it("reads bullet and numbered lists with continuation lines", () => {
    expect(parseMarkdown("- a\n  more\n* b\n\n3. c\n4) d")).toEqual([
      {
        type: "list",
        ordered: false,
        start: 1,
        items: [[{ type: "text", text: "a\nmore" }], [{ type: "text", text: "b" }]],
      },
      {
        type: "list",
        ordered: true,
        start: 3,
        items: [[{ type: "text", text: "c" }], [{ type: "text", text: "d" }]],
      },
    ]);
  });

  it("reads headings and quotes", () => {
    expect(parseMarkdown("## Title ##\n> quoted\n> more")).toEqual([
      { type: "heading", level: 2, children: [{ type: "text", text: "Title" }] },
      { type: "quote", children: [{ type: "text", text: "quoted\nmore" }] },
    ]);
  });
});

describe("parseInline", () => {
  it("reads code, bold and italic", () => {
    expect(parseInline("a `b*c*` **bold** and *it* _too_")).toEqual([
      { type: "text", text: "a " },
      { type: "code", text: "b*c*" },
      { type: "text", text: " " },
      { type: "strong", children: [{ type: "text", text: "bold" }] },
      { type: "text", text: " and " },
      { type: "em", children: [{ type: "text", text: "it" }] },
      { type: "text", text: " " },
      { type: "em", children: [{ type: "text", text: "too" }] },
    ]);
  });

  it("leaves snake_case, lone stars and arithmetic alone", () => {
    expect(parseInline("snake_case_name and 2 * 3 * 4")).toEqual([
      { type: "text", text: "snake_case_name and 2 * 3 * 4" },
    ]);
  });

  it("links http(s) and mailto only; other schemes stay text", () => {
    expect(parseInline("[docs](https://example.com/a) [x](javascript:alert(1))")).toEqual([
      {
        type: "link",
        href: "https://example.com/a",
        children: [{ type: "text", text: "docs" }],
      },
      { type: "text", text: " x" },
    ]);
  });

  it("keeps parentheses inside link URLs", () => {
    expect(parseInline("[Pi](https://en.wikipedia.org/wiki/Pi_(letter))")).toEqual([
      {
        type: "link",
        href: "https://en.wikipedia.org/wiki/Pi_(letter)",
        children: [{ type: "text", text: "Pi" }],
      },
    ]);
  });

  it("autolinks bare URLs without trailing punctuation", () => {
    expect(parseInline("see https://example.com/x.")).toEqual([
      { type: "text", text: "see " },
      {
        type: "link",
        href: "https://example.com/x",
        children: [{ type: "text", text: "https://example.com/x" }],
      },
      { type: "text", text: "." },
    ]);
  });
});

describe("safeHref", () => {
  it("accepts web and mail links only", () => {
    expect(safeHref("https://a.b")).toBe("https://a.b");
    expect(safeHref("mailto:x@y.z")).toBe("mailto:x@y.z");
    expect(safeHref("javascript:alert(1)")).toBeNull();
    expect(safeHref("data:text/html,hi")).toBeNull();
    expect(safeHref("/relative")).toBeNull();
  });
});
