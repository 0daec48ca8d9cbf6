import "server-only";
import { randomBytes } from "node:crypto";
import { getEnv } from "@/lib/env";
import type { CallbackOutcome } from "./oauth2-flow";

/** The message the opener (the chat's server picker, the settings page) listens for. */
export const OAUTH2_COMPLETE_MESSAGE = "mcp-oauth2-complete";
export const OAUTH2_ERROR_MESSAGE = "mcp-oauth2-error";

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON safe inside a <script> element: no `</script>`, no HTML comment, no line separators. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/**
 * The page the authorization server redirects the popup to. It tells its opener, and only
 * a window of the app's own origin (postMessage targetOrigin), that the connection is done,
 * then closes itself; on failure it shows a fixed message and a close button. It never
 * contains anything from the query string, and its CSP allows only its own inline script.
 */
export function callbackPage(outcome: CallbackOutcome): Response {
  const nonce = randomBytes(16).toString("base64");
  const origin = getEnv().appUrl;
  const message = outcome.ok
    ? { type: OAUTH2_COMPLETE_MESSAGE, server_id: outcome.serverId }
    : outcome.serverId
      ? { type: OAUTH2_ERROR_MESSAGE, server_id: outcome.serverId, code: outcome.code }
      : null;
  const title = outcome.ok ? `Connected to ${outcome.serverName}` : "Connection failed";
  const body = outcome.ok
    ? `<h1>${escapeHtml(title)}</h1><p>You can close this window.</p>`
    : `<h1>${escapeHtml(title)}</h1><p role="alert">${escapeHtml(outcome.message)}</p>`;
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)} · toolgate</title>
<style nonce="${nonce}">
body{font-family:system-ui,sans-serif;max-width:28rem;margin:4rem auto;padding:0 1rem;color:#111}
h1{font-size:1.25rem}button{padding:.5rem 1rem;cursor:pointer}
</style>
</head>
<body>
<main>
${body}
<button type="button" id="close">Close window</button>
</main>
<script nonce="${nonce}">
(function () {
  var message = ${scriptJson(message)};
  if (message && window.opener) {
    try { window.opener.postMessage(message, ${scriptJson(origin)}); } catch (e) {}
  }
  document.getElementById("close").addEventListener("click", function () { window.close(); });
  if (${outcome.ok ? "true" : "false"} && window.opener) setTimeout(function () { window.close(); }, 500);
})();
</script>
</body>
</html>
`;
  return new Response(html, {
    status: outcome.ok ? 200 : outcome.status,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": [
        "default-src 'none'",
        `script-src 'nonce-${nonce}'`,
        `style-src 'nonce-${nonce}'`,
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
      ].join("; "),
      // The URL carries the authorization code: it must not leak through a Referer.
      "Referrer-Policy": "no-referrer",
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
      "X-Frame-Options": "DENY",
    },
  });
}
