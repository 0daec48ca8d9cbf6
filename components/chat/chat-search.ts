// Searching the chat history in the sidebar: the server finds chats by title and message text
// (GET /api/chats?q=, the whole query as one phrase, case insensitive); this marks where the
// phrase occurs in what the results show.

export interface HighlightSegment {
  text: string;
  match: boolean;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** `text` cut into the runs that match `query` (case insensitive) and those that do not. */
export function highlightSegments(text: string, query: string): HighlightSegment[] {
  const phrase = query.trim();
  if (!phrase) return text ? [{ text, match: false }] : [];
  const pattern = new RegExp(escapeRegExp(phrase), "giu");
  const out: HighlightSegment[] = [];
  let last = 0;
  for (const m of text.matchAll(pattern)) {
    if (m.index > last) out.push({ text: text.slice(last, m.index), match: false });
    out.push({ text: m[0], match: true });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last), match: false });
  return out;
}
