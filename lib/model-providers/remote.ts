import "server-only";
import { APICallError, generateText } from "ai";
import { z } from "zod";
import type { ModelProviderRow } from "@/db/queries/model-providers";
import { ApiError } from "@/lib/errors";
import { findEgressError, getDefaultGuardedFetch } from "@/lib/net/egress";
import { modelNameSchema, type ModelProviderKind } from "@/lib/schemas/model-providers";

// Asking a provider's own API: which models it serves, and whether a tiny request works.
// Every request goes through the egress guard (resolved address checked when dialled, every
// redirect hop too, credentials never follow a redirect to another origin). Problems are
// described by toolgate in its own words: the provider's response body is never passed on,
// since it may quote the key or carry anything.

export const LIST_TIMEOUT_MS = 10_000;
export const TEST_TIMEOUT_MS = 30_000;
const MAX_BODY_BYTES = 4 * 1024 * 1024;
/** More than any real provider lists; the picker shows them all. */
export const MAX_LISTED_MODELS = 1000;
const ANTHROPIC_VERSION = "2023-06-01";
const ANTHROPIC_MAX_PAGES = 10;

export interface ProviderTarget {
  kind: ModelProviderKind;
  baseUrl: string;
  apiKey: string | null;
}

export interface RemoteModel {
  id: string;
  display_name?: string;
}

const listing = z.object({
  data: z.array(z.looseObject({ id: z.string(), display_name: z.string().optional() })),
  has_more: z.boolean().optional(),
  last_id: z.string().nullish(),
});

const upstream = (code: string, message: string, status = 502) =>
  new ApiError(status, `model_provider.${code}`, message);

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "the provider";
  }
}

async function readLimited(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => undefined);
      throw upstream("bad_response", "The provider's model list is larger than 4 MiB.");
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function statusProblem(status: number, what: string): ApiError {
  if (status === 401 || status === 403) {
    return upstream(
      "auth_failed",
      `The provider refused the request (HTTP ${status}): check the API key.`,
    );
  }
  if (status === 404) {
    return upstream("not_found", `The provider has no ${what} (HTTP 404): check the base URL.`);
  }
  if (status === 429) return upstream("rate_limited", "The provider is rate-limiting (HTTP 429).");
  return upstream("upstream_error", `The provider answered HTTP ${status} to ${what}.`);
}

/** A failure to reach the provider, in safe words: egress refusal, timeout or network error. */
function reachProblem(error: unknown, url: string, timedOut: boolean): ApiError {
  if (error instanceof ApiError) return error;
  const egress = findEgressError(error);
  if (egress) {
    return new ApiError(
      400,
      egress.code,
      `${egress.message}. List the host in EGRESS_ALLOWLIST to allow it.`,
    );
  }
  if (timedOut) {
    return upstream("timeout", `${hostOf(url)} did not answer in time.`, 504);
  }
  return upstream("unreachable", `${hostOf(url)} could not be reached.`);
}

function headersFor(target: ProviderTarget): Record<string, string> {
  if (target.kind === "anthropic") {
    return {
      "anthropic-version": ANTHROPIC_VERSION,
      ...(target.apiKey ? { "x-api-key": target.apiKey } : {}),
    };
  }
  return target.apiKey ? { authorization: `Bearer ${target.apiKey}` } : {};
}

async function getPage(target: ProviderTarget, url: string) {
  const fetchFn = getDefaultGuardedFetch(
    target.kind === "anthropic" ? { credentialHeaders: ["x-api-key"] } : {},
  );
  const timeout = AbortSignal.timeout(LIST_TIMEOUT_MS);
  let text: string;
  let status: number;
  try {
    const response = await fetchFn(url, {
      headers: { accept: "application/json", ...headersFor(target) },
      signal: timeout,
    });
    status = response.status;
    text = await readLimited(response);
  } catch (error) {
    throw reachProblem(error, url, timeout.aborted);
  }
  if (status < 200 || status > 299) throw statusProblem(status, "model list (GET /models)");
  let parsed;
  try {
    parsed = listing.safeParse(JSON.parse(text));
  } catch {
    parsed = undefined;
  }
  if (!parsed?.success) {
    throw upstream("bad_response", "The provider's answer to GET /models is not a model list.");
  }
  return parsed.data;
}

/**
 * The models the provider serves: `GET {base_url}/models` (OpenAI and compatible servers;
 * Anthropic's models API, paged with `after_id`). Sorted by id, names toolgate would refuse
 * (empty, control characters, too long) left out.
 */
export async function listRemoteModels(target: ProviderTarget): Promise<RemoteModel[]> {
  const found = new Map<string, RemoteModel>();
  let url = `${target.baseUrl}/models${target.kind === "anthropic" ? "?limit=1000" : ""}`;
  for (let page = 0; page < ANTHROPIC_MAX_PAGES; page += 1) {
    const data = await getPage(target, url);
    for (const entry of data.data) {
      if (!modelNameSchema.safeParse(entry.id).success || found.has(entry.id)) continue;
      found.set(entry.id, {
        id: entry.id,
        ...(entry.display_name && entry.display_name !== entry.id
          ? { display_name: entry.display_name.slice(0, 200) }
          : {}),
      });
    }
    if (target.kind !== "anthropic" || !data.has_more || !data.last_id) break;
    if (found.size >= MAX_LISTED_MODELS) break;
    url = `${target.baseUrl}/models?limit=1000&after_id=${encodeURIComponent(data.last_id)}`;
  }
  return [...found.values()].sort((a, b) => a.id.localeCompare(b.id)).slice(0, MAX_LISTED_MODELS);
}

export interface ProviderTestResult {
  ok: boolean;
  model: string;
  latency_ms: number;
  error?: { code: string; message: string };
}

/** Why a test request failed, as a stable code and a sentence safe to show. */
function testProblem(error: unknown, baseUrl: string, timedOut: boolean): ApiError {
  const call = APICallError.isInstance(error)
    ? error
    : APICallError.isInstance((error as { lastError?: unknown })?.lastError)
      ? (error as { lastError: APICallError }).lastError
      : undefined;
  if (call?.statusCode !== undefined) {
    return statusProblem(call.statusCode, "a chat request");
  }
  return reachProblem(error, baseUrl, timedOut);
}

/**
 * Sends one tiny chat request ("Reply with OK", at most 16 output tokens, no retries) to the
 * given model and reports how it went. The model's reply is not returned: the test answers
 * whether the provider works, not what it said.
 */
export async function testProviderModel(
  model: Parameters<typeof generateText>[0]["model"],
  modelName: string,
  baseUrl: string,
): Promise<ProviderTestResult> {
  const started = performance.now();
  const timeout = AbortSignal.timeout(TEST_TIMEOUT_MS);
  try {
    await generateText({
      model,
      prompt: "Reply with OK.",
      maxOutputTokens: 16,
      maxRetries: 0,
      abortSignal: timeout,
    });
    return { ok: true, model: modelName, latency_ms: Math.round(performance.now() - started) };
  } catch (error) {
    const problem = testProblem(error, baseUrl, timeout.aborted);
    return {
      ok: false,
      model: modelName,
      latency_ms: Math.round(performance.now() - started),
      error: { code: problem.code, message: problem.message },
    };
  }
}

/** What to dial for a stored provider, its key opened only for this request. */
export function targetOf(row: ModelProviderRow, apiKey: string | null): ProviderTarget {
  return { kind: row.kind, baseUrl: row.baseUrl, apiKey };
}
