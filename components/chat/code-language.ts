// The info string of a fenced code block ("```ts title=x") as a highlight.js language name.
// Kept apart from highlight.ts so the code block can label itself without loading grammars.

const ALIASES: Record<string, string> = {
  sh: "bash",
  shell: "bash",
  zsh: "bash",
  console: "bash",
  "c++": "cpp",
  "c#": "csharp",
  cs: "csharp",
  docker: "dockerfile",
  toml: "ini",
  js: "javascript",
  jsx: "javascript",
  mjs: "javascript",
  cjs: "javascript",
  jsonc: "json",
  kt: "kotlin",
  make: "makefile",
  md: "markdown",
  py: "python",
  rb: "ruby",
  rs: "rust",
  ts: "typescript",
  tsx: "typescript",
  mts: "typescript",
  html: "xml",
  svg: "xml",
  yml: "yaml",
  patch: "diff",
};

/** Lower-cased first word of the info string, with common aliases resolved; "" when none. */
export function codeLanguage(info: string | undefined): string {
  const word = (info ?? "").trim().split(/\s+/)[0]?.toLowerCase() ?? "";
  const name = word.replace(/^language-/, "");
  return ALIASES[name] ?? name;
}
