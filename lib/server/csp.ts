/**
 * The Content-Security-Policy of every page. Scripts run only with the per-request nonce
 * (Next puts it on its own inline and bundle scripts when it finds it in the request's CSP
 * header); 'strict-dynamic' lets those scripts load the chunks they import. Styles stay
 * 'unsafe-inline': Radix and the theme script set style attributes, which a nonce cannot
 * cover, and styles cannot run code. Images: this origin, https and data: (MCP server icons
 * are https or data: URLs). Nothing may frame the app, and forms post only here.
 */
export function contentSecurityPolicy(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    // React's dev build evaluates source maps and refresh code with eval.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' https: data:",
    "font-src 'self' data:",
    // Dev: the hot-reload websocket.
    `connect-src 'self'${dev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}
