/**
 * The same-origin page a click is about to open in this tab, or null when the click does
 * not leave the page that way (a modified click, a new tab, a download, another origin, a
 * link to a fragment of the current page). Other origins are left to `beforeunload`.
 */
export function leavingHref(
  event: Pick<
    MouseEvent,
    "defaultPrevented" | "button" | "metaKey" | "ctrlKey" | "shiftKey" | "altKey" | "target"
  >,
  currentHref: string,
): string | null {
  if (event.defaultPrevented || event.button !== 0) return null;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return null;
  const target = event.target as { closest?: (selector: string) => Element | null } | null;
  const anchor = target?.closest?.("a[href]") as HTMLAnchorElement | null | undefined;
  if (!anchor) return null;
  const opens = anchor.getAttribute("target");
  if ((opens && opens !== "_self") || anchor.hasAttribute("download")) return null;
  let url: URL;
  try {
    url = new URL(anchor.getAttribute("href") ?? "", currentHref);
  } catch {
    return null;
  }
  const current = new URL(currentHref);
  if (url.origin !== current.origin) return null;
  if (url.pathname === current.pathname && url.search === current.search) return null;
  return `${url.pathname}${url.search}${url.hash}`;
}
