import "server-only";
// Built-in tools as tools of the turn: offered when the policy admits them, and asked again at
// execution like every other tool (docs/security.md, point 2). Without a run context (the
// explainer) they are listed only.
import { tool as defineTool, type Tool } from "ai";
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

export function builtinTool(
  builtin: BuiltinTool,
  turn: TurnPolicy,
  ctx: DeniedCallContext & { loop?: TurnLoop },
  run: BuiltinRunContext,
  turnSignal: AbortSignal | undefined,
): Tool {
  return defineTool({
    description: builtin.description,
    inputSchema: builtin.inputSchema,
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
        await ctx.loop?.audit.record(
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
        return result;
      } finally {
        await ctx.loop?.audit.record(
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
