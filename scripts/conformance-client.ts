// The client under test for the MCP conformance suite (`npm run conformance`, see
// scripts/conformance.mjs). The suite runs this once per scenario:
//
//   tsx --conditions=react-server scripts/conformance-client.ts <server-url>
//
// with MCP_CONFORMANCE_SCENARIO naming the scenario and, for some, MCP_CONFORMANCE_CONTEXT
// holding JSON (pre-registered client credentials). It does what toolgate does, with
// toolgate's own code: connectMcp / listAllTools for the MCP side; for an OAuth2 server the
// admin's "create by URL" (discoverOauth2: RFC 9728 → RFC 8414 → RFC 7591), or a manually
// entered client when the scenario hands one over, then a member's "Connect" (PKCE S256,
// state, resource) and callback (state, iss, code exchange), then a tool call with the token
// as `Authorization: Bearer`. The browser's part, following the authorization endpoint's
// redirect to the callback URL, is done with fetch: the suite's server approves at once.
// Exit code 0 when the whole flow worked, 1 otherwise (with the reason on stderr).
import { randomBytes, randomUUID } from "node:crypto";
import os from "node:os";
import path from "node:path";

import { McpError, type Tool } from "@modelcontextprotocol/sdk/types.js";

import type { McpServerRow } from "@/db/queries/mcp-servers";
import { ApiError } from "@/lib/errors";
import { sealSecret, secretAad } from "@/lib/crypto/secrets";
import {
  discoverOauth2,
  MANUAL_OAUTH2_EXTRAS,
  oauth2ClientOf,
  oauth2RedirectUri,
} from "@/lib/mcp-config/oauth2-config";
import { followAuthorizationServer, refusedToken } from "@/lib/mcp-config/as-migration";
import { classifyMcpError, connectMcp, listAllTools, type McpConnection } from "@/lib/mcp/client";
import { withElicitation, type ElicitationSink } from "@/lib/mcp/elicitation-scope";
import { toPooledTool } from "@/lib/mcp/pooled-tool";
import { createRedactor } from "@/lib/mcp/redact";
import { discoverAuthorization, OAuthDiscoveryError } from "@/lib/oauth/discovery";
import { codeChallengeS256, createCodeVerifier, createState } from "@/lib/oauth/pkce";
import { insufficientScopeOf, MAX_STEP_UPS, stepUpScope } from "@/lib/oauth/step-up";
import {
  buildAuthorizationUrl,
  checkAuthorizationResponseIssuer,
  exchangeAuthorizationCode,
  TokenEndpointError,
} from "@/lib/oauth/tokens";

// This process only: the suite's servers listen on loopback (it hands out http://localhost:…),
// the callback URL is never dialled (the redirect to it is caught), and secrets are sealed
// with a throwaway key exactly as the app seals them in the database.
process.env.EGRESS_ALLOWLIST = "localhost,127.0.0.1,::1";
process.env.APP_URL = "http://toolgate.conformance.invalid";
process.env.SECRETS_KEYS = randomBytes(32).toString("base64");
process.env.DATA_DIR ??= path.join(os.tmpdir(), "toolgate-conformance");

const TRANSPORT = "streamable_http" as const;
const SUITE_CLIENT_METADATA_URL = "https://conformance-test.local/client-metadata.json";
const MAX_AUTHORIZE_HOPS = 5;
const SCHEMA_ECHO_TOOL = "json_schema_echo";
const TIMEOUT_MS = 10_000;

class AdapterError extends Error {}

function log(message: string): void {
  process.stderr.write(`[toolgate] ${message}\n`);
}

/** A tool call the scenario wants made, with the arguments a model would have chosen. */
interface ToolCall {
  name: string;
  arguments: Record<string, unknown>;
}

interface ScenarioContext {
  client_id?: string;
  client_secret?: string;
  toolCalls?: ToolCall[];
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function scenarioContext(): ScenarioContext {
  const raw = process.env.MCP_CONFORMANCE_CONTEXT;
  if (!raw) return {};
  const parsed: unknown = JSON.parse(raw);
  if (!isRecord(parsed)) return {};
  const { client_id, client_secret, toolCalls } = parsed;
  const calls = Array.isArray(toolCalls)
    ? toolCalls.flatMap((c: unknown) =>
        isRecord(c) && typeof c.name === "string" && isRecord(c.arguments)
          ? [{ name: c.name, arguments: c.arguments }]
          : [],
      )
    : [];
  return {
    ...(typeof client_id === "string" && { client_id }),
    ...(typeof client_secret === "string" && { client_secret }),
    ...(calls.length > 0 && { toolCalls: calls }),
  };
}

/** The columns of an oauth2 config that the connect flow reads. */
type OAuthConfig = Pick<
  McpServerRow,
  | "id"
  | "url"
  | "transport"
  | "authType"
  | "oauth2ClientId"
  | "oauth2ClientSecretEnc"
  | "oauth2AuthUrl"
  | "oauth2TokenUrl"
  | "oauth2Scopes"
  | "oauth2Issuer"
  | "oauth2RevocationUrl"
  | "oauth2Resource"
  | "oauth2TokenAuthMethod"
  | "oauth2IssRequired"
  | "oauth2Discovered"
>;

/**
 * The config an admin would store. Without credentials from the scenario: created by URL alone
 * (discovery + dynamic registration, app/api/mcp/servers). With them (a pre-registered client):
 * entered by hand, the authorization and token URLs read from the discovered metadata as an
 * admin would copy them, and the discovery-only columns empty as the app leaves them.
 */
async function createConfig(mcpUrl: string, context: ScenarioContext): Promise<OAuthConfig> {
  const id = randomUUID();
  const base = { id, url: mcpUrl, transport: TRANSPORT, authType: "oauth2" as const };
  if (context.client_id === undefined) {
    const { fields } = await discoverOauth2({
      serverId: id,
      url: mcpUrl,
      transport: TRANSPORT,
      scopes: "",
      // toolgate's client metadata document lives at APP_URL/api/mcp/oauth2/client-metadata;
      // the suite's authorization server (auth/basic-cimd) expects this fixed URL instead.
      clientMetadataUrl: SUITE_CLIENT_METADATA_URL,
    });
    log(
      `registered client ${fields.oauth2ClientId} (${fields.oauth2TokenAuthMethod}) at ${fields.oauth2Issuer}`,
    );
    return { ...base, ...fields };
  }
  const found = await discoverAuthorization(mcpUrl, TRANSPORT);
  log(`using the pre-registered client ${context.client_id}`);
  return {
    ...base,
    ...MANUAL_OAUTH2_EXTRAS,
    oauth2ClientId: context.client_id,
    oauth2ClientSecretEnc: context.client_secret
      ? sealSecret(
          context.client_secret,
          secretAad("mcp_server_configs", "oauth2_client_secret_enc", id),
        )
      : null,
    oauth2AuthUrl: found.metadata.authorization_endpoint,
    oauth2TokenUrl: found.metadata.token_endpoint,
    oauth2Scopes: found.scopes.join(" "),
  };
}

/**
 * The browser's part: requests the authorization URL and follows redirects until one points
 * at the redirect URI, whose query is the authorization response.
 */
async function followToCallback(authorizationUrl: string, redirectUri: string) {
  const callback = new URL(redirectUri);
  let url = authorizationUrl;
  for (let hop = 0; hop < MAX_AUTHORIZE_HOPS; hop += 1) {
    const res = await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(10_000) });
    await res.body?.cancel();
    const location = res.headers.get("location");
    if (res.status < 300 || res.status >= 400 || location === null) {
      throw new AdapterError(`the authorization endpoint answered HTTP ${res.status}, no redirect`);
    }
    const next = new URL(location, url);
    if (next.origin === callback.origin && next.pathname === callback.pathname) {
      return next.searchParams;
    }
    url = next.href;
  }
  throw new AdapterError(`no redirect to the callback URL within ${MAX_AUTHORIZE_HOPS} hops`);
}

/** startOauth2Connect + completeOauth2Callback (lib/mcp-config/oauth2-flow.ts), minus the db. */
async function connectUser(config: OAuthConfig): Promise<string> {
  const client = oauth2ClientOf(config as McpServerRow);
  if (!client || !config.oauth2AuthUrl) throw new AdapterError("the config has no OAuth2 client");
  const state = createState();
  const verifier = createCodeVerifier();
  const redirectUri = oauth2RedirectUri(config);
  const authorizationUrl = buildAuthorizationUrl({
    authorizationEndpoint: config.oauth2AuthUrl,
    clientId: client.clientId,
    redirectUri,
    state,
    codeChallenge: codeChallengeS256(verifier),
    resource: client.resource,
    scope: config.oauth2Scopes,
  });
  log(`authorizing with scope "${config.oauth2Scopes}" for resource ${client.resource}`);
  const query = await followToCallback(authorizationUrl, redirectUri);
  if (query.get("state") !== state) throw new AdapterError("the callback's state does not match");
  const providerError = query.get("error");
  if (providerError !== null) throw new AdapterError(`the provider refused: ${providerError}`);
  const iss = checkAuthorizationResponseIssuer(query.get("iss"), {
    issuer: config.oauth2Issuer,
    required: config.oauth2IssRequired,
  });
  if (!iss.ok) throw new AdapterError(`the callback was refused: ${iss.reason}`);
  const code = query.get("code");
  if (!code) throw new AdapterError("the callback has no code");
  const tokens = await exchangeAuthorizationCode(client, {
    code,
    codeVerifier: verifier,
    redirectUri,
  });
  log(`got an access token${tokens.scope ? ` for "${tokens.scope}"` : ""}`);
  return tokens.accessToken;
}

/**
 * The calls a chat turn would make: the ones the scenario names with the arguments it chose
 * (what a model decides in a turn), else one call of add_numbers or the first listed tool.
 */
function plannedCalls(tools: Tool[], wanted: ToolCall[] | undefined): ToolCall[] {
  if (wanted !== undefined) return wanted.filter((c) => tools.some((t) => t.name === c.name));
  // A server that asks for a listed schema back (json-schema-2020-12-preservation): the
  // "model" sends the other tool's input schema as toolgate's listing holds it, which is what
  // the pool keeps and the model is offered from.
  const focal = tools.find((t) => t.name !== SCHEMA_ECHO_TOOL);
  if (focal !== undefined && tools.some((t) => t.name === SCHEMA_ECHO_TOOL)) {
    const kept = toPooledTool(focal, createRedactor([]));
    return [{ name: SCHEMA_ECHO_TOOL, arguments: { schema: kept.inputSchema } }];
  }
  const tool = tools.find((t) => t.name === "add_numbers") ?? tools[0];
  if (tool === undefined) return [];
  return [{ name: tool.name, arguments: tool.name === "add_numbers" ? { a: 5, b: 3 } : {} }];
}

/**
 * Scenarios whose server wants several of its tools called, as one model step calling them
 * all at once would (sep-2322: a multi-round-trip call must not leak its state into the
 * others running beside it).
 */
const EVERY_TOOL_SCENARIOS = new Set(["sep-2322-client-request-state"]);

/** What a chat turn does with a server: connect, list its tools, call them. */
async function callServerTools(
  mcpUrl: string,
  headers: Record<string, string>,
  scenario: string,
  wanted?: ToolCall[],
): Promise<void> {
  const connection = await connectMcp({ url: mcpUrl, transport: TRANSPORT, headers });
  try {
    log(`connected to ${connection.serverInfo?.name ?? "an unnamed server"}`);
    const { tools } = await listAllTools(connection.client);
    log(`tools: ${tools.map((t) => t.name).join(", ") || "(none)"}`);
    if (EVERY_TOOL_SCENARIOS.has(scenario)) {
      const all = tools.map((t) => ({
        name: t.name,
        arguments: t.name === "add_numbers" ? { a: 5, b: 3 } : {},
      }));
      await Promise.all(all.map((call) => callTool(connection, call)));
    } else {
      for (const call of plannedCalls(tools, wanted)) await callTool(connection, call);
    }
  } finally {
    await connection.close();
  }
}

/**
 * One call as the pool makes it: through the session that listed the tools, which on the
 * 2026-07-28 wire mirrors the arguments named by x-mcp-header into Mcp-Param-* headers.
 */
async function callTool(connection: McpConnection, { name, arguments: args }: ToolCall) {
  // A server asking during the call (elicitation) reaches the member's answer through the
  // same scope a chat turn sets up; here the member accepts the form as offered, so every
  // field is left at the default the server gave it (SEP-1034).
  const asMember: ElicitationSink = async (ask) => {
    log(`the server asks (${ask.mode}): ${ask.message}`);
    return { action: "accept", content: {} };
  };
  let result;
  try {
    result = await withElicitation(asMember, TIMEOUT_MS, () =>
      connection.client.callTool({ name, arguments: args }),
    );
  } catch (error) {
    // As in a chat turn, a JSON-RPC error answering one call fails that call only (the
    // model is told); a server that only lists its tools answers calls "Method not found".
    if (!(error instanceof McpError)) throw error;
    log(`the call of ${name} was answered with JSON-RPC error ${error.code}`);
    return;
  }
  if (result.isError) throw new AdapterError(`the tool ${name} returned an error`);
  log(`called ${name}`);
}

async function main(): Promise<void> {
  const mcpUrl = process.argv[2];
  if (!mcpUrl) throw new AdapterError("usage: conformance-client.ts <server-url>");
  const scenario = process.env.MCP_CONFORMANCE_SCENARIO ?? "";
  log(`scenario ${scenario || "(unnamed)"} against ${mcpUrl}`);
  if (scenario.startsWith("auth/")) {
    let config = await createConfig(mcpUrl, scenarioContext());
    let token = await connectUser(config);
    let stepUps = 0;
    let moved = false;
    for (;;) {
      try {
        await callServerTools(mcpUrl, { authorization: `Bearer ${token}` }, scenario);
        break;
      } catch (error) {
        // A 403 insufficient_scope: the member is asked to connect again, and that
        // authorization requests the union of scopes (lib/mcp-config/step-up.ts); here the
        // "member" says yes, at most MAX_STEP_UPS times.
        const challenge = insufficientScopeOf(error);
        if (challenge) {
          const next =
            stepUps < MAX_STEP_UPS ? stepUpScope(config.oauth2Scopes, challenge.scope) : null;
          if (next === null) throw error;
          stepUps += 1;
          log(`insufficient_scope: asking again with "${next}"`);
          config = { ...config, oauth2Scopes: next };
          token = await connectUser(config);
          continue;
        }
        // The token refused: the server may have moved to another authorization server
        // (lib/mcp-config/as-migration.ts). The config then holds a client registered there,
        // the old token is dropped, and the member connects again.
        if (moved || !refusedToken(config, classifyMcpError(error))) throw error;
        const check = await followAuthorizationServer(config, {
          clientMetadataUrl: SUITE_CLIENT_METADATA_URL,
        });
        if (!check.moved) throw error;
        moved = true;
        log(`the authorization server moved to ${check.fields.oauth2Issuer}: registered anew`);
        config = { ...config, ...check.fields };
        token = await connectUser(config);
      }
    }
  } else {
    await callServerTools(mcpUrl, {}, scenario, scenarioContext().toolCalls);
  }
}

try {
  await main();
  log("done");
  process.exit(0);
} catch (error) {
  const reason =
    error instanceof AdapterError ||
    error instanceof ApiError ||
    error instanceof OAuthDiscoveryError ||
    error instanceof TokenEndpointError
      ? error.message
      : (() => {
          const info = classifyMcpError(error);
          return `${info.code}: ${info.message}`;
        })();
  log(`failed: ${reason}`);
  process.exit(1);
}
