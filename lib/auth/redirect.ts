/**
 * Where to send the browser after sign-in or sign-out, from a URL someone else may have
 * written (`?callbackUrl=`, Auth.js's callback-url cookie, `redirectTo`). The value is parsed
 * the way a browser will parse it, against the app's own origin, and kept only when it stays
 * on that origin: prefix checks miss `/\evil.example`, `/<tab>/evil.example` and friends, which
 * browsers normalise to `//evil.example`.
 *
 * Returns a path (with query and fragment) on the app's origin, or `fallback`.
 */
export function safeRedirectPath(raw: unknown, appUrl: string, fallback = "/"): string {
  if (typeof raw !== "string" || raw === "") return fallback;
  const base = new URL(appUrl);
  let target: URL;
  try {
    target = new URL(raw, base);
  } catch {
    return fallback;
  }
  if (target.origin !== base.origin) return fallback;
  return `${target.pathname}${target.search}${target.hash}`;
}

/** The same decision as an absolute URL on `appUrl`, as Auth.js's redirect callback wants. */
export function safeRedirectUrl(raw: unknown, appUrl: string, fallback = "/"): string {
  return new URL(safeRedirectPath(raw, appUrl, fallback), appUrl).toString();
}
