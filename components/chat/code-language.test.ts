import { describe, expect, it } from "vitest";
import { codeLanguage } from "./code-language";

describe("codeLanguage", () => {
  it.each([
    ["ts", "typescript"],
    ["TSX", "typescript"],
    ["language-py", "python"],
    ["sh title=run.sh", "bash"],
    ["c++", "cpp"],
    ["rust", "rust"],
    ["", ""],
    [undefined, ""],
    ["  yml  ", "yaml"],
  ])("%j → %j", (info, expected) => {
    expect(codeLanguage(info)).toBe(expected);
  });
});
