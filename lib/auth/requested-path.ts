/**
 * The path a page request asked for, carried from the proxy to the page that decides the
 * caller must sign in first, so the login page can send them back there afterwards.
 * Pure (no server-only imports): the proxy runs it on every page request.
 */
export const REQUESTED_PATH_HEADER = "x-toolgate-requested-path";

// Next's own transport parameters (client navigations fetch `?_rsc=…`): not part of the page.
const INTERNAL_PARAMS = ["_rsc"];

export function requestedPath(url: URL): string {
  const search = new URLSearchParams(url.search);
  for (const name of INTERNAL_PARAMS) search.delete(name);
  const query = search.toString();
  return `${url.pathname}${query ? `?${query}` : ""}`;
}

/**
 * `/login`, with `callbackUrl` when there is somewhere worth returning to. The value is only
 * a hint: the login page parses it against APP_URL again and drops anything off-origin.
 */
export function loginPathFor(requested: string | null | undefined): string {
  if (!requested || !requested.startsWith("/") || requested.startsWith("//")) return "/login";
  if (requested === "/" || requested === "/login" || requested.startsWith("/login?")) {
    return "/login";
  }
  return `/login?${new URLSearchParams({ callbackUrl: requested }).toString()}`;
}
