import "server-only";
// The one wrapper that turns an MCP tool (an admin server's or a workspace server's) into a
// tool of the turn. Every call goes the same way: ask the policy again (the config may have
// changed since the tools were offered; docs/security.md, point 2) → refuse with a `tool.denied`
// result → unwrap the model's intent field → check the arguments against the tool's own
// schema → call → convert the result for the model and the UI. Only the recheck and the call
// differ between sources, so they are what a source hands in.
import { jsonSchema, type Schema, type Tool } from "ai";
import { getEnv } from "@/lib/env";
import { withElicitation } from "@/lib/mcp/elicitation-scope";
import { checkToolArguments, invalidArgumentsMessage } from "@/lib/mcp/input-validation";
import { checkToolOutput, invalidOutputMessage } from "@/lib/mcp/output-validation";
import {
  capDescription,
  convertToolResult,
  modelFacingSchema,
  unwrapToolInput,
} from "@/lib/mcp/tool-adapter";
import type { ToolReason } from "@/lib/policy/reasons";
import { SUBAGENT_REFUSAL, type TurnLoop } from "../approvals/loop";
import { denyCall, type DeniedCallContext } from "../policy-denied";
import { outcomeOfError, type AuditCall, type AuditVerdict } from "../tool-audit";
import type { ProgressReport, ProgressThrottle } from "../tool-progress";

/** The error code of a result that breaks the tool's output schema. */
export const INVALID_OUTPUT = "tool.invalid_output";

export type ModelOutputs = Map<string, ReturnType<typeof convertToolResult>["modelOutput"]>;

export interface McpCallContext extends DeniedCallContext {
  imageToolResults: boolean;
  /** What the model gets for each call, by call id (richer than the stored output). */
  modelOutputs: ModelOutputs;
  /** Approvals, grants and the audit of the running turn; absent when tools are only listed. */
  loop?: TurnLoop;
  /** Where a running call's progress notifications go (throttled); absent when not streamed. */
  progress?: ProgressThrottle;
}

/** The policy's second answer, at execution time. */
export type Recheck =
  | { ok: true; needsApproval?: boolean; definitionHash?: string }
  | { ok: false; reason: ToolReason; serverId?: string };

/** A call's outcome: the server's result, or a failure worded for the user and the model. */
export type CallOutcome =
  | { ok: true; result: Parameters<typeof convertToolResult>[0] }
  | { ok: false; text: string; forModel?: string; code: string };

/** What a tool is, independent of the turn: built once per listing and reused by every turn. */
export interface McpToolDefinition {
  exposed: string;
  /** Streamed as `toolMetadata`, so the live UI knows the tool's origin. */
  metadata: Record<string, string>;
  description: string;
  /** The tool's own input schema, as the server listed it. */
  inputSchema: Record<string, unknown>;
  /** The tool's output schema, as listed: its results are checked against it. */
  outputSchema?: Record<string, unknown>;
  /** Whether the model is asked for an intent field beside the arguments. */
  modelIntent: boolean;
  /** What the audit and an approval card tell about the tool. */
  about: {
    source: "mcp" | "workspace_mcp";
    toolName: string;
    serverId?: string;
    serverSlug?: string;
    definitionHash?: string;
  };
  /** The capped description and the model-facing schema, when built with the definition. */
  modelDescription?: string;
  modelSchema?: Schema;
}

/** How a turn rechecks and calls the tools of one server: one per server and turn. */
export interface McpToolSource {
  recheck(tool: McpToolDefinition): Promise<Recheck>;
  call(
    tool: McpToolDefinition,
    args: Record<string, unknown>,
    signal: AbortSignal | undefined,
    onProgress?: (report: ProgressReport) => void,
  ): Promise<CallOutcome>;
}

export interface McpToolSpec extends McpToolDefinition {
  recheck(): Promise<Recheck>;
  call(
    args: Record<string, unknown>,
    signal: AbortSignal | undefined,
    onProgress?: (report: ProgressReport) => void,
  ): Promise<CallOutcome>;
}

// The model-facing schema of a listed tool, converted once per listing: the pool hands out the
// same inputSchema object until the server's tool list (or its config version) changes, so a
// warm turn with a thousand tools converts nothing. Keyed weakly: a replaced listing is freed.
const schemaCache = new WeakMap<object, { plain?: Schema; intent?: Schema }>();

export function modelSchemaOf(inputSchema: Record<string, unknown>, modelIntent: boolean): Schema {
  let cached = schemaCache.get(inputSchema);
  if (cached === undefined) {
    cached = {};
    schemaCache.set(inputSchema, cached);
  }
  const slot = modelIntent ? "intent" : "plain";
  cached[slot] ??= jsonSchema(modelFacingSchema(inputSchema, modelIntent).schema as never);
  return cached[slot];
}

/** The arguments and intent of a call, as far as they can be told apart. */
function argsOf(input: unknown, modelIntent: boolean): { args: unknown; intent?: string } {
  const unwrapped = unwrapToolInput(input, modelIntent);
  if (!unwrapped.ok) return { args: input };
  return unwrapped.intent === undefined
    ? { args: unwrapped.args }
    : { args: unwrapped.args, intent: unwrapped.intent };
}

/**
 * A tool of one turn. Its functions are shared by every tool (the AI SDK calls execute,
 * needsApproval and toModelOutput as methods of the tool) and read the turn's state from it,
 * so binding a thousand tools to a turn creates no closure.
 */
class TurnTool {
  readonly type = "dynamic";
  readonly needsApproval = needsApproval;
  readonly execute = execute;
  readonly toModelOutput = toModelOutput;
  readonly metadata: Record<string, string>;
  readonly description: string;
  readonly inputSchema: Schema;
  /** needsApproval asks the policy first; execute reuses that answer for the same call. */
  checks: Map<string, Recheck> | undefined = undefined;

  constructor(
    readonly ctx: McpCallContext,
    readonly spec: McpToolDefinition,
    readonly source: McpToolSource,
  ) {
    this.metadata = spec.metadata;
    this.description = spec.modelDescription ?? capDescription(spec.description);
    this.inputSchema = spec.modelSchema ?? modelSchemaOf(spec.inputSchema, spec.modelIntent);
  }
}

/** A tool of the turn from a definition (built once per listing) and the turn's source. */
export function boundMcpTool(
  ctx: McpCallContext,
  spec: McpToolDefinition,
  source: McpToolSource,
): Tool {
  return new TurnTool(ctx, spec, source) as unknown as Tool;
}

/** A tool whose recheck and call are its own (the workspace's servers). */
export function mcpTool(ctx: McpCallContext, spec: McpToolSpec): Tool {
  return boundMcpTool(ctx, spec, {
    recheck: () => spec.recheck(),
    call: (_tool, args, signal, onProgress) => spec.call(args, signal, onProgress),
  });
}

function failed(b: TurnTool, toolCallId: string, text: string, code: string, forModel = text) {
  b.ctx.modelOutputs.set(toolCallId, { type: "error-text", value: forModel });
  return { is_error: true, text, code };
}

function auditCall(b: TurnTool, toolCallId: string, input: unknown, again: Recheck): AuditCall {
  const { spec } = b;
  const { args, intent } = argsOf(input, spec.modelIntent);
  const definitionHash = (again.ok && again.definitionHash) || spec.about.definitionHash;
  return {
    toolCallId,
    source: spec.about.source,
    tool: spec.about.toolName,
    input: args,
    ...(spec.about.serverId !== undefined && { serverId: spec.about.serverId }),
    ...(spec.about.serverSlug !== undefined && { serverSlug: spec.about.serverSlug }),
    ...(definitionHash !== undefined && { definitionHash }),
    ...(intent !== undefined && { modelIntent: intent }),
  };
}

// Rule "approval": the call waits for a person unless one already answered it (the turn
// carrying the answer) or a grant covers it. A sub-agent cannot ask: execute refuses.
async function needsApproval(
  this: TurnTool,
  input: unknown,
  { toolCallId }: { toolCallId: string },
): Promise<boolean> {
  const { spec } = this;
  const { loop } = this.ctx;
  if (!loop) return false;
  // The SDK asks again for an answered call and refuses to run one that "needs none".
  if (loop.answered.has(toolCallId)) return true;
  const again = await this.source.recheck(spec);
  (this.checks ??= new Map()).set(toolCallId, again);
  if (!again.ok || !again.needsApproval) return false;
  const grant = await loop.grantFor({
    source: spec.about.source,
    serverId: spec.about.serverId ?? null,
    toolName: spec.about.toolName,
  });
  if (grant) {
    loop.granted.set(toolCallId, grant);
    return false;
  }
  if (loop.agent !== "root") return false;
  const unwrapped = unwrapToolInput(input, spec.modelIntent);
  // Input the tool's schema rules out is the model's mistake: no person is bothered.
  if (!unwrapped.ok || !checkToolArguments(spec.inputSchema, unwrapped.args).ok) return false;
  loop.requested.set(toolCallId, {
    toolCallId,
    name: spec.exposed,
    source: spec.about.source,
    toolName: spec.about.toolName,
    input: unwrapped.args,
    inputSchema: spec.inputSchema,
    ...(unwrapped.intent !== undefined && { modelIntent: unwrapped.intent }),
    ...(spec.about.serverId !== undefined && { serverId: spec.about.serverId }),
    ...(spec.about.serverSlug !== undefined && { serverSlug: spec.about.serverSlug }),
    ...(again.definitionHash !== undefined && { definitionHash: again.definitionHash }),
  });
  return true;
}

async function execute(
  this: TurnTool,
  input: unknown,
  { toolCallId, abortSignal }: { toolCallId: string; abortSignal?: AbortSignal },
) {
  const { ctx, spec } = this;
  const { loop } = ctx;
  const started = Date.now();
  const answered = loop?.answered.get(toolCallId);
  const grant = loop?.granted.get(toolCallId);
  const again = this.checks?.get(toolCallId) ?? (await this.source.recheck(spec));
  this.checks?.delete(toolCallId);
  const call = auditCall(this, toolCallId, input, again);
  // How the row reads: a person's yes (now or by a grant), else the policy's.
  let verdict: AuditVerdict = { decision: "allowed" };
  if (answered?.approved) verdict = { decision: "approved", decidedBy: answered.decidedBy };
  else if (grant)
    verdict = { decision: "approved", decidedBy: grant.createdBy, reason: `grant ${grant.id}` };
  const audit = (code: string | undefined, ran: boolean) => {
    if (!loop) return;
    const result = {
      outcome: !ran ? ("not_run" as const) : code ? outcomeOfError(code) : ("ok" as const),
      errorCode: code ?? null,
      durationMs: ran ? Date.now() - started : null,
    };
    if (answered?.approved) loop.audit.settle(answered.approvalId, result);
    else loop.audit.record(call, verdict, result);
  };

  const refuse = (reason: ToolReason, extra: string | undefined, serverId?: string) => {
    const refused = denyCall(ctx, {
      toolCallId,
      exposedName: spec.exposed,
      reason,
      ...(serverId !== undefined && { serverId }),
    });
    const text = extra ? `The tool ${spec.exposed} ${extra}.` : refused.text;
    if (!answered?.approved)
      verdict = { decision: "denied", reason: extra ? "approval_unavailable" : reason };
    audit(refused.code, false);
    return failed(this, toolCallId, text, refused.code);
  };
  if (!again.ok) return refuse(again.reason, undefined, again.serverId);
  if (again.needsApproval && !answered?.approved && !grant) {
    // Only a sub-agent gets here: a root turn paused instead of calling.
    return refuse("approval_required", SUBAGENT_REFUSAL, spec.about.serverId);
  }
  const unwrapped = unwrapToolInput(input, spec.modelIntent);
  if (!unwrapped.ok) {
    audit("tool.invalid_input", false);
    return failed(this, toolCallId, unwrapped.error, "tool.invalid_input");
  }
  const checked = checkToolArguments(spec.inputSchema, unwrapped.args);
  if (!checked.ok) {
    const text = invalidArgumentsMessage(spec.exposed, checked.problems);
    audit("tool.invalid_input", false);
    return failed(this, toolCallId, text, "tool.invalid_input");
  }
  const eliciting = {
    toolCallId,
    ...(spec.about.serverId !== undefined && { serverId: spec.about.serverId }),
    ...(spec.about.serverSlug !== undefined && { serverSlug: spec.about.serverSlug }),
  };
  const sink = loop?.elicit?.(eliciting);
  const { progress } = ctx;
  const onProgress = progress && ((p: ProgressReport) => progress.report(toolCallId, p));
  const run = () =>
    this.source
      .call(spec, unwrapped.args, abortSignal, onProgress)
      .finally(() => progress?.finish(toolCallId));
  // The server may ask the person during the call (elicitation, or input_required on the
  // 2026-07-28 wire): the call waits for the answer.
  const outcome = sink
    ? await withElicitation(
        sink,
        getEnv().APPROVAL_TIMEOUT_S * 1000,
        run,
        loop?.inputRounds?.(eliciting),
      )
    : await run();
  if (!outcome.ok) {
    audit(outcome.code, true);
    return failed(this, toolCallId, outcome.text, outcome.code, outcome.forModel);
  }
  const conforms = checkToolOutput(spec.outputSchema, outcome.result, (reason) =>
    console.warn(
      `[mcp] ${spec.about.serverSlug ?? spec.about.source} tool ${spec.about.toolName}: ` +
        `output schema not enforced: ${reason}`,
    ),
  );
  if (!conforms.ok) {
    audit(INVALID_OUTPUT, true);
    const text = invalidOutputMessage(spec.exposed, conforms.problems);
    return failed(this, toolCallId, text, INVALID_OUTPUT);
  }
  const converted = convertToolResult(outcome.result, { includeImages: ctx.imageToolResults });
  ctx.modelOutputs.set(toolCallId, converted.modelOutput);
  audit(converted.isError ? "tool.error_result" : undefined, true);
  return { is_error: converted.isError, ...converted.display };
}

function toModelOutput(
  this: TurnTool,
  { toolCallId, output }: { toolCallId: string; output: unknown },
) {
  return (
    this.ctx.modelOutputs.get(toolCallId) ?? { type: "json", value: (output ?? null) as never }
  );
}
