// Syntax highlighting for code blocks in answers. Loaded with import() by code-block.tsx only
// when an answer has a fenced block with a language, so the grammars stay out of the chat
// page's first load. lowlight gives a syntax tree that React renders as elements: no HTML
// string from the model (or from the highlighter) ever reaches the DOM.
import { toJsxRuntime } from "hast-util-to-jsx-runtime";
import bash from "highlight.js/lib/languages/bash";
import c from "highlight.js/lib/languages/c";
import cpp from "highlight.js/lib/languages/cpp";
import csharp from "highlight.js/lib/languages/csharp";
import css from "highlight.js/lib/languages/css";
import diff from "highlight.js/lib/languages/diff";
import dockerfile from "highlight.js/lib/languages/dockerfile";
import go from "highlight.js/lib/languages/go";
import ini from "highlight.js/lib/languages/ini";
import java from "highlight.js/lib/languages/java";
import javascript from "highlight.js/lib/languages/javascript";
import json from "highlight.js/lib/languages/json";
import kotlin from "highlight.js/lib/languages/kotlin";
import makefile from "highlight.js/lib/languages/makefile";
import markdown from "highlight.js/lib/languages/markdown";
import php from "highlight.js/lib/languages/php";
import python from "highlight.js/lib/languages/python";
import ruby from "highlight.js/lib/languages/ruby";
import rust from "highlight.js/lib/languages/rust";
import sql from "highlight.js/lib/languages/sql";
import swift from "highlight.js/lib/languages/swift";
import typescript from "highlight.js/lib/languages/typescript";
import xml from "highlight.js/lib/languages/xml";
import yaml from "highlight.js/lib/languages/yaml";
import { createLowlight } from "lowlight";
import type { ReactNode } from "react";
import { Fragment, jsx, jsxs } from "react/jsx-runtime";
import { codeLanguage } from "./code-language";

const lowlight = createLowlight({
  bash,
  c,
  cpp,
  csharp,
  css,
  diff,
  dockerfile,
  go,
  ini,
  java,
  javascript,
  json,
  kotlin,
  makefile,
  markdown,
  php,
  python,
  ruby,
  rust,
  sql,
  swift,
  typescript,
  xml,
  yaml,
});

// Past this size highlighting a streaming block on every update would make typing stutter.
const MAX_HIGHLIGHT_CHARS = 50_000;

/** The highlighted code as React elements, or null when the language is not one we know. */
export function highlight(code: string, lang: string): ReactNode | null {
  const language = codeLanguage(lang);
  if (!language || code.length > MAX_HIGHLIGHT_CHARS || !lowlight.registered(language)) {
    return null;
  }
  return toJsxRuntime(lowlight.highlight(language, code), { Fragment, jsx, jsxs });
}
