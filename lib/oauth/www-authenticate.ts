/**
 * A small parser for `WWW-Authenticate` (RFC 9110 §11.6.1): challenges are
 * `scheme [token68 | auth-param *(, auth-param)]`, auth-params are `name=token` or
 * `name="quoted string"` with backslash escapes. Only what OAuth needs is kept.
 */
export interface Challenge {
  scheme: string;
  /** Parameter names lower-cased (they are case-insensitive). */
  params: Record<string, string>;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+/;

export function parseWwwAuthenticate(header: string): Challenge[] {
  const challenges: Challenge[] = [];
  let current: Challenge | undefined;
  let rest = header;
  while (rest.length > 0) {
    rest = rest.replace(/^[\s,]+/, "");
    const token = TOKEN.exec(rest)?.[0];
    if (token === undefined) {
      // Not a token (e.g. token68 padding): skip a character rather than give up on the rest.
      rest = rest.slice(1);
      continue;
    }
    const after = rest.slice(token.length);
    const equals = /^\s*=\s*/.exec(after);
    if (!equals || current === undefined) {
      current = { scheme: token.toLowerCase(), params: {} };
      challenges.push(current);
      rest = after;
      continue;
    }
    rest = after.slice(equals[0].length);
    let value = "";
    if (rest.startsWith('"')) {
      let i = 1;
      for (; i < rest.length && rest[i] !== '"'; i += 1) {
        if (rest[i] === "\\" && i + 1 < rest.length) i += 1;
        value += rest[i];
      }
      rest = rest.slice(i + 1);
    } else {
      value = TOKEN.exec(rest)?.[0] ?? "";
      rest = rest.slice(value.length);
    }
    current.params[token.toLowerCase()] ??= value;
  }
  return challenges;
}

/** The Bearer challenge's parameters (RFC 6750 §3), if the header has one. */
export function bearerChallenge(header: string | null): Record<string, string> | undefined {
  if (!header) return undefined;
  return parseWwwAuthenticate(header).find((c) => c.scheme === "bearer")?.params;
}
