// A deliberately small Markdown subset for model answers, parsed into plain data so React renders
// it as elements: no HTML string ever reaches the DOM, so model output cannot inject markup.
export type Inline =
  | { type: "text"; text: string }
  | { type: "code"; text: string }
  | { type: "strong"; children: Inline[] }
  | { type: "em"; children: Inline[] }
  | { type: "link"; href: string; children: Inline[] };

export type Block =
  | { type: "paragraph"; children: Inline[] }
  | { type: "heading"; level: number; children: Inline[] }
  | { type: "code"; lang: string; text: string }
  | { type: "list"; ordered: boolean; start: number; items: Inline[][] }
  | { type: "quote"; children: Inline[] };

const FENCE = /^\s{0,3}(`{3,}|~{3,})\s*([\w+#.-]*)/;
const HEADING = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const BULLET = /^\s{0,3}[-*+]\s+(.*)$/;
const ORDERED = /^\s{0,3}(\d{1,9})[.)]\s+(.*)$/;
const QUOTE = /^\s{0,3}>\s?(.*)$/;

/** Links go only to the web or mail: `javascript:` and friends stay plain text. */
export function safeHref(href: string): string | null {
  const trimmed = href.trim();
  return /^(https?:\/\/|mailto:)/i.test(trimmed) ? trimmed : null;
}

const isBlockStart = (line: string) =>
  FENCE.test(line) ||
  HEADING.test(line) ||
  BULLET.test(line) ||
  ORDERED.test(line) ||
  QUOTE.test(line);

export function parseMarkdown(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, "\n").split("\n");
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (!line.trim()) {
      i++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const marker = fence[1]!;
      const body: string[] = [];
      i++;
      // An unclosed fence runs to the end: the answer may still be streaming.
      while (i < lines.length && !lines[i]!.trim().startsWith(marker)) body.push(lines[i++]!);
      i++;
      blocks.push({ type: "code", lang: fence[2] ?? "", text: body.join("\n") });
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      blocks.push({
        type: "heading",
        level: heading[1]!.length,
        children: parseInline(heading[2]!),
      });
      i++;
      continue;
    }
    if (BULLET.test(line) || ORDERED.test(line)) {
      const ordered = !BULLET.test(line);
      const pattern = ordered ? ORDERED : BULLET;
      const start = ordered ? Number(ORDERED.exec(line)![1]) : 1;
      const items: string[] = [];
      while (i < lines.length) {
        const current = lines[i]!;
        const m = pattern.exec(current);
        if (m) {
          items.push(ordered ? m[2]! : m[1]!);
        } else if (current.trim() && /^\s+/.test(current) && items.length > 0) {
          // An indented line continues the previous item.
          items[items.length - 1] += `\n${current.trim()}`;
        } else {
          break;
        }
        i++;
      }
      blocks.push({ type: "list", ordered, start, items: items.map((t) => parseInline(t)) });
      continue;
    }
    if (QUOTE.test(line)) {
      const body: string[] = [];
      while (i < lines.length && QUOTE.test(lines[i]!)) body.push(QUOTE.exec(lines[i++]!)![1]!);
      blocks.push({ type: "quote", children: parseInline(body.join("\n")) });
      continue;
    }
    const body: string[] = [line];
    i++;
    while (i < lines.length && lines[i]!.trim() && !isBlockStart(lines[i]!)) body.push(lines[i++]!);
    blocks.push({ type: "paragraph", children: parseInline(body.join("\n")) });
  }
  return blocks;
}

// One level of parentheses inside the URL, as in Wikipedia links.
const LINK = /\[([^\]\n]+)\]\(((?:[^()\s]|\([^()\s]*\))+)(?:\s+"[^"]*")?\)/y;
const AUTOLINK = /https?:\/\/[^\s<>()]+[^\s<>().,;:!?'"]/y;

function pushText(out: Inline[], text: string) {
  const last = out[out.length - 1];
  if (last?.type === "text") last.text += text;
  else out.push({ type: "text", text });
}

/** Finds the closing delimiter: not preceded by whitespace, and for `_` not inside a word. */
function findClose(text: string, delim: string, from: number): number {
  let at = text.indexOf(delim, from);
  while (at !== -1) {
    const before = text[at - 1];
    const after = text[at + delim.length];
    const wordAfter = delim[0] === "_" && after !== undefined && /\w/.test(after);
    if (at > from && before !== undefined && !/\s/.test(before) && !wordAfter) return at;
    at = text.indexOf(delim, at + 1);
  }
  return -1;
}

export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === "`") {
      const end = text.indexOf("`", i + 1);
      if (end > i + 1) {
        out.push({ type: "code", text: text.slice(i + 1, end) });
        i = end + 1;
        continue;
      }
    }
    if (ch === "[") {
      LINK.lastIndex = i;
      const m = LINK.exec(text);
      if (m) {
        const href = safeHref(m[2]!);
        if (href) out.push({ type: "link", href, children: parseInline(m[1]!) });
        else pushText(out, m[1]!);
        i = LINK.lastIndex;
        continue;
      }
    }
    if (ch === "h" && (i === 0 || /[\s(]/.test(text[i - 1]!))) {
      AUTOLINK.lastIndex = i;
      const m = AUTOLINK.exec(text);
      if (m) {
        out.push({ type: "link", href: m[0], children: [{ type: "text", text: m[0] }] });
        i = AUTOLINK.lastIndex;
        continue;
      }
    }
    if (ch === "*" || ch === "_") {
      const double = text[i + 1] === ch;
      const delim = double ? ch + ch : ch;
      const next = text[i + delim.length];
      const wordBefore = ch === "_" && i > 0 && /\w/.test(text[i - 1]!);
      if (next !== undefined && !/\s/.test(next) && !wordBefore) {
        const end = findClose(text, delim, i + delim.length);
        if (end !== -1) {
          const children = parseInline(text.slice(i + delim.length, end));
          out.push(double ? { type: "strong", children } : { type: "em", children });
          i = end + delim.length;
          continue;
        }
      }
    }
    pushText(out, ch);
    i++;
  }
  return out;
}
