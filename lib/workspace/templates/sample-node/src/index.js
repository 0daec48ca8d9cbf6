// A small module to read, test and change.
import { fileURLToPath } from "node:url";

/** Lower-case words joined by dashes: "Hello, World!" -> "hello-world". */
export function slugify(text) {
  return text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

export function wordCount(text) {
  const words = text.trim().split(/\s+/);
  return words[0] === "" ? 0 : words.length;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const input = process.argv.slice(2).join(" ") || "Hello, workspace!";
  console.log(JSON.stringify({ input, slug: slugify(input), words: wordCount(input) }));
}
