/**
 * A tiny browser for OAuth flows in tests: a cookie jar and manual redirects, so the walk from
 * the authorization endpoint to the redirect URI is real HTTP against the real provider. Use
 * with `startOidcProvider({ autoLogin })`: no form is filled in.
 */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  header(): string | undefined {
    if (this.cookies.size === 0) return undefined;
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired =
        value === "" || /max-age=0/i.test(line) || /expires=thu, 01 jan 1970/i.test(line);
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

/**
 * Follows redirects from `authorizationUrl` until one points under `redirectPrefix`, which it
 * returns without requesting it (that is the app's callback, called in-process by the test).
 */
export async function followToRedirectUri(
  authorizationUrl: string,
  redirectPrefix: string,
  jar = new CookieJar(),
): Promise<URL> {
  let url = new URL(authorizationUrl);
  for (let hop = 0; hop < 20; hop += 1) {
    const cookie = jar.header();
    const response = await fetch(url, {
      redirect: "manual",
      headers: cookie ? { cookie } : {},
    });
    jar.store(response);
    const location = response.headers.get("location");
    if (response.status < 300 || response.status >= 400 || location === null) {
      const text = await response.text();
      throw new Error(`stopped at ${response.status} ${url.href}: ${text.slice(0, 300)}`);
    }
    await response.body?.cancel();
    const next = new URL(location, url);
    if (next.href.startsWith(redirectPrefix)) return next;
    url = next;
  }
  throw new Error("too many redirects");
}
