// A `tools/call` result without `resultType` is a complete result (SEP-2322: a client MUST
// assume `complete` when the field is absent). The 2.x SDK refuses such a result on the
// 2026-07-28 wire as invalid, so the modern transport's fetch (client-2026.ts) fills the field
// in on a JSON answer to a `tools/call` before the SDK reads it. Event-stream answers are left
// as they are. The body was already bounded by the response limits (response-limits.ts); a
// limit hit while reading it here reaches the SDK exactly as before, from the body.

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function sameAs(original: Response, body: BodyInit, headers: Headers): Response {
  const response = new Response(body, {
    status: original.status,
    statusText: original.statusText,
    headers,
  });
  Object.defineProperty(response, "url", { value: original.url });
  return response;
}

function withDefaultResultType(text: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined; // not JSON: the SDK says so itself
  }
  let changed = false;
  for (const message of Array.isArray(parsed) ? parsed : [parsed]) {
    const result = isPlainObject(message) ? message.result : undefined;
    if (isPlainObject(result) && !("resultType" in result)) {
      result.resultType = "complete";
      changed = true;
    }
  }
  return changed ? JSON.stringify(parsed) : undefined;
}

/** The response to a `tools/call`, its results' missing `resultType` read as `complete`. */
export async function completeByDefault(response: Response): Promise<Response> {
  const type = response.headers.get("content-type") ?? "";
  if (!response.ok || response.body === null || !type.includes("application/json")) {
    return response;
  }
  const headers = new Headers(response.headers);
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    const failing = new ReadableStream<Uint8Array>({ start: (c) => c.error(error) });
    return sameAs(response, failing, headers);
  }
  const patched = withDefaultResultType(text);
  if (patched !== undefined) headers.delete("content-length");
  return sameAs(response, patched ?? text, headers);
}
