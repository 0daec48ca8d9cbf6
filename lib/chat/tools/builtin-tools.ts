import "server-only";
// Built-in tools as tools of the turn: offered when the policy admits them, and asked again at
// execution like every other tool (docs/security.md, point 2). Without a run context (the
// explainer) they are listed only.
import { tool as defineTool, zodSchema, type Schema, type Tool } from "ai";
import { decide, type PolicyDecision, type TurnPolicy } from "@/lib/policy/tool-policy";
import { builtinTools } from "../builtins/registry";
import type { BuiltinContext, BuiltinTool } from "../builtins/types";
import type { TurnLoop } from "../approvals/loop";
import { isToolFailure } from "../builtins/refusal";
import { denyCall, type DeniedCallContext } from "../policy-denied";

/** What a built-in needs from the running turn; the call id and signal come per call. */
export type BuiltinRunContext = Omit<BuiltinContext, "toolCallId" | "signal">;

export interface DecidedBuiltin {
  builtin: BuiltinTool;
  decision: PolicyDecision;
}

export function decideBuiltins(turn: TurnPolicy): DecidedBuiltin[] {
  return builtinTools().map((builtin) => ({
    builtin,
    decision: decide({ source: "builtin", name: builtin.name }, turn),
  }));
}

// Each built-in's JSON Schema, converted from zod once per process instead of on every step.
const builtinSchemas = new WeakMap<BuiltinTool, Schema>();

function schemaOf(builtin: BuiltinTool): Schema {
  let schema = builtinSchemas.get(builtin);
  if (schema === undefined) {
    schema = zodSchema(builtin.inputSchema);
    builtinSchemas.set(builtin, schema);
  }
  return schema;
}

export function builtinTool(
  builtin: BuiltinTool,
  turn: TurnPolicy,
  ctx: DeniedCallContext & { loop?: TurnLoop },
  run: BuiltinRunContext,
  turnSignal: AbortSignal | undefined,
  /** Told of each successful run (create_workspace widens the turn's tools). */
  afterRun?: (name: string, result: unknown) => void,
): Tool {
  return defineTool({
    description: builtin.description,
    inputSchema: schemaOf(builtin) as Schema<unknown>,
    execute: async (input: unknown, { toolCallId, abortSignal }) => {
      const started = Date.now();
      const call = { toolCallId, source: "builtin" as const, tool: builtin.name, input };
      const again = decide({ source: "builtin", name: builtin.name }, turn);
      if (!again.available) {
        const refused = denyCall(ctx, {
          toolCallId,
          exposedName: builtin.name,
          reason: again.reason,
        });
        ctx.loop?.audit.record(
          call,
          { decision: "denied", reason: again.reason },
          { outcome: "not_run", errorCode: refused.code },
        );
        return refused;
      }
      let errorCode: string | undefined = "tool.failed";
      try {
        const result = await builtin.execute(input, {
          ...run,
          toolCallId,
          signal: abortSignal ?? turnSignal ?? new AbortController().signal,
        });
        errorCode = isToolFailure(result) ? result.code : undefined;
        afterRun?.(builtin.name, result);
        return result;
      } finally {
        ctx.loop?.audit.record(
          call,
          { decision: "allowed" },
          {
            outcome: errorCode ? "error" : "ok",
            errorCode: errorCode ?? null,
            durationMs: Date.now() - started,
          },
        );
      }
    },
  });
}

/**
 * When create_workspace attaches a workspace mid-turn, the built-ins held back for want of one
 * (reason no_workspace) are offered from the next step: `offer` adds them to the turn's tool
 * set, which the AI SDK reads at every step.
 */
export function widenOnWorkspace(
  decided: readonly DecidedBuiltin[],
  turn: TurnPolicy,
  offer: (builtin: BuiltinTool, turn: TurnPolicy) => void,
): (name: string, result: unknown) => void {
  let widened = false;
  return (name, result) => {
    const attached = typeof result === "object" && result !== null && "workspace" in result;
    if (widened || name !== "create_workspace" || !attached) return;
    widened = true;
    const withWorkspace: TurnPolicy = { ...turn, hasWorkspace: true };
    for (const { builtin, decision } of decided) {
      if (decision.reason !== "no_workspace") continue;
      const again = decide({ source: "builtin", name: builtin.name }, withWorkspace);
      if (again.available) offer(builtin, withWorkspace);
    }
  };
}
