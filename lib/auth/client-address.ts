/**
 * The address a request came from, as a throttling key. Next's server sets X-Forwarded-For
 * to the socket's address when the request carries none, and a reverse proxy appends the
 * address it saw, so the last entry is the one closest to us. A client that reaches Next
 * directly can send its own header, so this is a key for fairness, never an identity: the
 * per-email ceiling in lib/auth/credentials.ts is what bounds a client that rotates it.
 */
export function clientAddress(headers: Headers): string {
  const forwarded = headers.get("x-forwarded-for");
  const last = forwarded?.split(",").at(-1)?.trim();
  if (last) return last.slice(0, 64);
  return headers.get("x-real-ip")?.trim().slice(0, 64) || "unknown";
}
