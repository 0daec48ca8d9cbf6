import "server-only";
// One tool of an admin-registered MCP server as a tool of the turn: the policy asked again at
// execution, the arguments checked against the tool's own schema, the call made through the
// pool (which redacts the credentials it sent), the result converted for the model and the UI.
import { dynamicTool, jsonSchema, type Tool } from "ai";
import type { Executor } from "@/db/client";
import { findMcpServer, type McpServerRow } from "@/db/queries/mcp-servers";
import { serverPolicyOf } from "@/lib/mcp-config/policy-view";
import { checkToolArguments, invalidArgumentsMessage } from "@/lib/mcp/input-validation";
import { McpToolCallError, type McpEndpoint, type McpPool, type PooledTool } from "@/lib/mcp/pool";
import {
  capDescription,
  convertToolResult,
  modelFacingSchema,
  unwrapToolInput,
} from "@/lib/mcp/tool-adapter";
import { decide, type TurnPolicy } from "@/lib/policy/tool-policy";
import { serverFailureText, type NoticeAudience } from "./mcp-notices";
import { denyCall, type DeniedCallContext } from "./policy-denied";

export type ModelOutputs = Map<string, ReturnType<typeof convertToolResult>["modelOutput"]>;

export interface McpToolContext extends DeniedCallContext {
  db: Executor;
  pool: McpPool;
  turn: TurnPolicy;
  audience: NoticeAudience;
  imageToolResults: boolean;
  /** What the model gets for each call, by call id (richer than the stored output). */
  modelOutputs: ModelOutputs;
}

export function mcpTool(
  ctx: McpToolContext,
  server: { row: McpServerRow; endpoint: McpEndpoint },
  tool: PooledTool,
  exposed: string,
): Tool {
  const { row } = server;
  const modelIntent = row.modelIntent;
  const failed = (toolCallId: string, text: string, code: string) => {
    ctx.modelOutputs.set(toolCallId, { type: "error-text", value: text });
    return { is_error: true, text, code };
  };
  return dynamicTool({
    // Streamed as `toolMetadata`, so the live UI knows the tool's server and origin.
    metadata: { source: "mcp", server_id: row.id, tool_name: tool.name },
    description: capDescription(tool.description ?? tool.title),
    inputSchema: jsonSchema(modelFacingSchema(tool.inputSchema, modelIntent).schema as never),
    execute: async (input, { toolCallId, abortSignal }) => {
      // Asked again at execution (security.md point 2): the config may have changed since
      // the tools were offered.
      const current = await findMcpServer(ctx.db, row.id);
      const again = current
        ? decide({ source: "mcp", name: tool.name, server: serverPolicyOf(current) }, ctx.turn)
        : { available: false, reason: "server_disabled" as const };
      if (!again.available || current?.version !== row.version) {
        const refused = denyCall(ctx, {
          toolCallId,
          exposedName: exposed,
          reason: again.available ? "config_changed" : again.reason,
          serverId: row.id,
        });
        return failed(toolCallId, refused.text, refused.code);
      }
      const unwrapped = unwrapToolInput(input, modelIntent);
      if (!unwrapped.ok) return failed(toolCallId, unwrapped.error, "tool.invalid_input");
      const checked = checkToolArguments(tool.inputSchema, unwrapped.args);
      if (!checked.ok) {
        return failed(
          toolCallId,
          invalidArgumentsMessage(exposed, checked.problems),
          "tool.invalid_input",
        );
      }
      try {
        const result = await ctx.pool.callTool(server.endpoint, tool.name, unwrapped.args, {
          signal: abortSignal,
        });
        const converted = convertToolResult(result, { includeImages: ctx.imageToolResults });
        ctx.modelOutputs.set(toolCallId, converted.modelOutput);
        return { is_error: converted.isError, ...converted.display };
      } catch (err) {
        if (!(err instanceof McpToolCallError)) throw err;
        const text = serverFailureText(ctx.audience, row.displayName, err);
        // The server's own words help the model fix its arguments; they are tool output,
        // which the system prompt tells the model not to obey.
        const forModel = err.serverDetail ? `${text}\nServer said: ${err.serverDetail}` : text;
        ctx.modelOutputs.set(toolCallId, { type: "error-text", value: forModel });
        return { is_error: true, text, code: err.code };
      }
    },
    toModelOutput: ({ toolCallId, output }) =>
      ctx.modelOutputs.get(toolCallId) ?? { type: "json", value: (output ?? null) as never },
  });
}
