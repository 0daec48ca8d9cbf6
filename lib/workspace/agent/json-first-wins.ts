// JSON.parse keeps the last of two equal keys; `.mcp.json` semantics want the first one to
// win (and the duplicate reported). This small recursive-descent parser does that. Syntax
// errors are left to JSON.parse, which runs first and gives the familiar message.

export interface FirstWinsResult {
  value: unknown;
  /** JSON-pointer-ish paths of keys that appeared again and were ignored. */
  duplicates: string[];
}

export function parseJsonFirstWins(text: string): FirstWinsResult {
  JSON.parse(text); // throws SyntaxError with a position on invalid input
  const duplicates: string[] = [];
  let i = 0;

  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i] as string)) i += 1;
  };

  const string = (): string => {
    const start = i;
    i += 1;
    while (text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    i += 1;
    return JSON.parse(text.slice(start, i)) as string;
  };

  const value = (path: string): unknown => {
    ws();
    const c = text[i];
    if (c === "{") {
      i += 1;
      const out: Record<string, unknown> = {};
      ws();
      if (text[i] === "}") {
        i += 1;
        return out;
      }
      for (;;) {
        ws();
        const key = string();
        ws();
        i += 1; // ":"
        const child = value(`${path}/${key}`);
        if (Object.hasOwn(out, key)) duplicates.push(`${path}/${key}`);
        else
          Object.defineProperty(out, key, {
            value: child,
            enumerable: true,
            writable: true,
            configurable: true,
          });
        ws();
        if (text[i] === ",") {
          i += 1;
          continue;
        }
        i += 1; // "}"
        return out;
      }
    }
    if (c === "[") {
      i += 1;
      const out: unknown[] = [];
      ws();
      if (text[i] === "]") {
        i += 1;
        return out;
      }
      for (;;) {
        out.push(value(`${path}/${out.length}`));
        ws();
        if (text[i] === ",") {
          i += 1;
          continue;
        }
        i += 1; // "]"
        return out;
      }
    }
    if (c === '"') return string();
    const match = /^(?:true|false|null|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(
      text.slice(i, i + 400),
    );
    const token = match?.[0] ?? "";
    i += token.length;
    return JSON.parse(token) as unknown;
  };

  return { value: value(""), duplicates };
}
