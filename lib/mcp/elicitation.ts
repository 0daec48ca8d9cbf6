// The MCP client's side of elicitation (form and URL modes): the capability toolgate declares
// and the answer to one server question, handed to whoever answers for the tool call in
// progress (elicitation-scope.ts), with the requested schema's defaults applied to an accepted
// form (SEP-1034). Without a call to route to, or past the per-call limit, nobody can be asked:
// the server gets `cancel` or `decline` at once. The same answer serves both wires: a 2025
// server's `elicitation/create` request (acceptElicitations) and a 2026-07-28 server's
// embedded request in an `input_required` result (input-required.ts).
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { ElicitRequestSchema, type ElicitResult } from "@modelcontextprotocol/sdk/types.js";
import { fieldsOf, withDefaults } from "./elicitation-schema";
import { redactValue } from "./redact";
import {
  MAX_ELICITATIONS_PER_CALL,
  scopeFor,
  type CallScope,
  type ElicitationAsk,
} from "./elicitation-scope";

export const ELICITATION_CAPABILITY = { elicitation: { form: {}, url: {} } } as const;

/** Message and URL lengths a card shows; longer ones are cut (a hostile server's essay). */
const MAX_MESSAGE_CHARS = 2_000;
const MAX_URL_CHARS = 4_096;
const MAX_SCHEMA_CHARS = 64 * 1024;
const MAX_ID_CHARS = 256;

function askOf(params: Record<string, unknown>): ElicitationAsk | null {
  const message = String(params.message ?? "").slice(0, MAX_MESSAGE_CHARS);
  if (params.mode === "url") {
    const url = typeof params.url === "string" ? params.url : "";
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return null;
    }
    // Only web pages: a javascript:, data: or file: URL is never offered to the person.
    if ((parsed.protocol !== "https:" && parsed.protocol !== "http:") || url.length > MAX_URL_CHARS)
      return null;
    // A 2026-07-28 server's embedded URL request may carry no id of its own.
    const id = params.elicitationId;
    return {
      mode: "url",
      message,
      url: parsed.href,
      ...(typeof id === "string" && { elicitationId: id.slice(0, MAX_ID_CHARS) }),
    };
  }
  const schema = params.requestedSchema as Record<string, unknown> | undefined;
  // A form is a few fields: a schema of megabytes is not stored or shown.
  if (!fieldsOf(schema) || JSON.stringify(schema).length > MAX_SCHEMA_CHARS) return null;
  return { mode: "form", message, requestedSchema: schema! };
}

/**
 * The answer to one server question (`elicitation/create` params) asked during the call of
 * `scope`: the person's (the call's timers standing still meanwhile), or `cancel` / `decline`
 * when nobody can be asked.
 */
export async function elicit(
  scope: CallScope | undefined,
  params: unknown,
  signal: AbortSignal,
): Promise<ElicitResult> {
  if (!scope) return { action: "cancel" };
  scope.asked += 1;
  if (scope.asked > MAX_ELICITATIONS_PER_CALL) return { action: "decline" };
  // What the server asks may echo the credentials it was sent: never shown, never stored.
  const shown = scope.redactor ? redactValue(params, scope.redactor) : params;
  const ask =
    typeof shown === "object" && shown !== null ? askOf(shown as Record<string, unknown>) : null;
  // A form the restricted schema rules out, or a URL that is not a web page: refused.
  if (!ask) return { action: "decline" };
  const reply = await scope.hold(() => scope.sink(ask, signal));
  if (reply.action !== "accept") return { action: reply.action };
  if (ask.mode === "url") return { action: "accept" };
  const fields = fieldsOf(ask.requestedSchema) ?? [];
  return {
    action: "accept",
    content: withDefaults(fields, reply.content ?? {}) as ElicitResult["content"],
  };
}

/** Answers `elicitation/create` on this connection (2025 wires); call before connecting. */
export function acceptElicitations(client: Client): void {
  client.setRequestHandler(ElicitRequestSchema, (request, extra) =>
    elicit(scopeFor(client), request.params, extra.signal),
  );
}
