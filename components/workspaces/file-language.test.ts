import { describe, expect, it } from "vitest";
import { fileLanguage, formatBytes } from "./file-language";

describe("fileLanguage", () => {
  it.each([
    ["src/app.ts", "typescript"],
    ["a/b/Component.TSX", "typescript"],
    [".toolgate/plans/x.md", "markdown"],
    ["Dockerfile", "dockerfile"],
    ["build/Makefile", "makefile"],
    ["pyproject.toml", "ini"],
    ["data.json", "json"],
    ["notes", ""],
    [".hidden", ""],
    ["trailing.", ""],
  ])("%s → %j", (path, lang) => {
    expect(fileLanguage(path)).toBe(lang);
  });
});

describe("formatBytes", () => {
  it.each([
    [0, "0 B"],
    [1023, "1023 B"],
    [1536, "1.5 KB"],
    [300 * 1024, "300 KB"],
    [5 * 1024 * 1024, "5.0 MB"],
  ])("%d → %s", (n, text) => {
    expect(formatBytes(n)).toBe(text);
  });
});
