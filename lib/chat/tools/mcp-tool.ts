import "server-only";
// The one wrapper that turns an MCP tool (an admin server's or a workspace server's) into a
// tool of the turn. Every call goes the same way: ask the policy again (the config may have
// changed since the tools were offered; docs/security.md, point 2) → refuse with a `tool.denied`
// result → unwrap the model's intent field → check the arguments against the tool's own
// schema → call → convert the result for the model and the UI. Only the recheck and the call
// differ between sources, so they are what a source hands in.
import { dynamicTool, jsonSchema, type Schema, type Tool } from "ai";
import { checkToolArguments, invalidArgumentsMessage } from "@/lib/mcp/input-validation";
import {
  capDescription,
  convertToolResult,
  modelFacingSchema,
  unwrapToolInput,
} from "@/lib/mcp/tool-adapter";
import type { ToolReason } from "@/lib/policy/reasons";
import { denyCall, type DeniedCallContext } from "../policy-denied";

export type ModelOutputs = Map<string, ReturnType<typeof convertToolResult>["modelOutput"]>;

export interface McpCallContext extends DeniedCallContext {
  imageToolResults: boolean;
  /** What the model gets for each call, by call id (richer than the stored output). */
  modelOutputs: ModelOutputs;
}

/** The policy's second answer, at execution time. */
export type Recheck = { ok: true } | { ok: false; reason: ToolReason; serverId?: string };

/** A call's outcome: the server's result, or a failure worded for the user and the model. */
export type CallOutcome =
  | { ok: true; result: Parameters<typeof convertToolResult>[0] }
  | { ok: false; text: string; forModel?: string; code: string };

export interface McpToolSpec {
  exposed: string;
  /** Streamed as `toolMetadata`, so the live UI knows the tool's origin. */
  metadata: Record<string, string>;
  description: string;
  /** The tool's own input schema, as the server listed it. */
  inputSchema: Record<string, unknown>;
  /** Whether the model is asked for an intent field beside the arguments. */
  modelIntent: boolean;
  recheck(): Promise<Recheck>;
  call(args: Record<string, unknown>, signal: AbortSignal | undefined): Promise<CallOutcome>;
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

export function mcpTool(ctx: McpCallContext, spec: McpToolSpec): Tool {
  const failed = (toolCallId: string, text: string, code: string, forModel = text) => {
    ctx.modelOutputs.set(toolCallId, { type: "error-text", value: forModel });
    return { is_error: true, text, code };
  };
  return dynamicTool({
    metadata: spec.metadata,
    description: capDescription(spec.description),
    inputSchema: modelSchemaOf(spec.inputSchema, spec.modelIntent),
    execute: async (input, { toolCallId, abortSignal }) => {
      const again = await spec.recheck();
      if (!again.ok) {
        const refused = denyCall(ctx, {
          toolCallId,
          exposedName: spec.exposed,
          reason: again.reason,
          ...(again.serverId !== undefined && { serverId: again.serverId }),
        });
        return failed(toolCallId, refused.text, refused.code);
      }
      const unwrapped = unwrapToolInput(input, spec.modelIntent);
      if (!unwrapped.ok) return failed(toolCallId, unwrapped.error, "tool.invalid_input");
      const checked = checkToolArguments(spec.inputSchema, unwrapped.args);
      if (!checked.ok) {
        const text = invalidArgumentsMessage(spec.exposed, checked.problems);
        return failed(toolCallId, text, "tool.invalid_input");
      }
      const outcome = await spec.call(unwrapped.args, abortSignal);
      if (!outcome.ok) return failed(toolCallId, outcome.text, outcome.code, outcome.forModel);
      const converted = convertToolResult(outcome.result, { includeImages: ctx.imageToolResults });
      ctx.modelOutputs.set(toolCallId, converted.modelOutput);
      return { is_error: converted.isError, ...converted.display };
    },
    toModelOutput: ({ toolCallId, output }) =>
      ctx.modelOutputs.get(toolCallId) ?? { type: "json", value: (output ?? null) as never },
  });
}
