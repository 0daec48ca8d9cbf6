/**
 * Postgres text and jsonb cannot hold U+0000, and jsonb refuses a lone UTF-16 surrogate
 * (JSON.stringify writes it as an escape Postgres will not decode). Model text and tool
 * results come from outside, so every string they carry is made storable on its way into
 * the database, here, rather than each producer guessing: one NUL from an MCP server must
 * not crash a turn.
 */

/** What stands in for a NUL or a lone surrogate: the Unicode replacement character. */
export const REPLACEMENT = "\uFFFD";

const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function storableText(text: string): string {
  UNSTORABLE.lastIndex = 0;
  return UNSTORABLE.test(text) ? text.replace(UNSTORABLE, REPLACEMENT) : text;
}

/**
 * A JSON-like value with every string (keys too) made storable. Returns the value itself when
 * nothing needed a change, so the common case allocates nothing.
 */
export function storable<T>(value: T): T {
  return clean(value, 0) as T;
}

function clean(value: unknown, depth: number): unknown {
  if (typeof value === "string") return storableText(value);
  // Nothing toolgate stores nests this deep; a deeper value is left to the database to judge.
  if (value === null || typeof value !== "object" || depth > 100) return value;
  if (value instanceof Date) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item, i) => {
      const cleaned = clean(item, depth + 1);
      if (cleaned !== item) (copy ??= [...value])[i] = cleaned;
    });
    return copy ?? value;
  }
  let copy: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    const cleanKey = storableText(key);
    const cleaned = clean(item, depth + 1);
    if (cleanKey !== key || cleaned !== item) {
      copy ??= { ...(value as Record<string, unknown>) };
      if (cleanKey !== key) delete copy[key];
      copy[cleanKey] = cleaned;
    }
  }
  return copy ?? value;
}
