// The MCP client's side of elicitation (form and URL modes): the capability toolgate declares
// and the handler of a server's `elicitation/create`, which hands the question to whoever
// answers for the tool call in progress (elicitation-scope.ts) and applies the requested
// schema's defaults to an accepted form (SEP-1034). Without a call to route to, or past the
// per-call limit, nobody can be asked: the server gets `cancel` or `decline` at once.
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { ElicitRequestSchema, type ElicitResult } from "@modelcontextprotocol/sdk/types.js";
import { fieldsOf, withDefaults } from "./elicitation-schema";
import { MAX_ELICITATIONS_PER_CALL, scopeFor, type ElicitationAsk } from "./elicitation-scope";

export const ELICITATION_CAPABILITY = { elicitation: { form: {}, url: {} } } as const;

/** Message and URL lengths a card shows; longer ones are cut (a hostile server's essay). */
const MAX_MESSAGE_CHARS = 2_000;
const MAX_URL_CHARS = 4_096;
const MAX_SCHEMA_CHARS = 64 * 1024;

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
    return { mode: "url", message, url: parsed.href, elicitationId: String(params.elicitationId) };
  }
  const schema = params.requestedSchema as Record<string, unknown> | undefined;
  // A form is a few fields: a schema of megabytes is not stored or shown.
  if (!fieldsOf(schema) || JSON.stringify(schema).length > MAX_SCHEMA_CHARS) return null;
  return { mode: "form", message, requestedSchema: schema! };
}

/** Answers `elicitation/create` on this connection; call before connecting. */
export function acceptElicitations(client: Client): void {
  client.setRequestHandler(ElicitRequestSchema, async (request, extra): Promise<ElicitResult> => {
    const scope = scopeFor(client);
    if (!scope) return { action: "cancel" };
    scope.asked += 1;
    if (scope.asked > MAX_ELICITATIONS_PER_CALL) return { action: "decline" };
    const ask = askOf(request.params as Record<string, unknown>);
    // A form the restricted schema rules out, or a URL that is not a web page: refused.
    if (!ask) return { action: "decline" };
    const reply = await scope.hold(() => scope.sink(ask, extra.signal));
    if (reply.action !== "accept") return { action: reply.action };
    if (ask.mode === "url") return { action: "accept" };
    const fields = fieldsOf(ask.requestedSchema) ?? [];
    return {
      action: "accept",
      content: withDefaults(fields, reply.content ?? {}) as ElicitResult["content"],
    };
  });
}
