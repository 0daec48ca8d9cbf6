// The excerpt a chat search shows under a chat's title: the matching text around its first
// occurrence of the query, on one line. Pure, so the list and the tests share it.

const RADIUS = 60;

/** A window of `text` around the first case-insensitive occurrence of `query`, with ellipses. */
export function searchSnippet(text: string, query: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  const needle = query.replace(/\s+/g, " ").trim().toLowerCase();
  const at = needle ? flat.toLowerCase().indexOf(needle) : -1;
  if (at < 0) return flat.length > RADIUS * 2 ? `${flat.slice(0, RADIUS * 2)}…` : flat;
  const start = Math.max(0, at - RADIUS);
  const end = Math.min(flat.length, at + needle.length + RADIUS);
  return `${start > 0 ? "…" : ""}${flat.slice(start, end)}${end < flat.length ? "…" : ""}`;
}
