// How the plan and agent built-ins report a failure the model can act on: as a result
// `{is_error: true, code, text}` (like the workspace tools), so the model and the user both
// read the reason. Thrown errors of any other kind stay unexpected and are logged.
import { ApiError } from "@/lib/errors";
import { AgentRequestError } from "@/lib/workspace/agent-client";

export interface ToolFailure {
  is_error: true;
  code: string;
  text: string;
}

export class ToolRefusal extends Error {
  override name = "ToolRefusal";
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function isToolFailure(output: unknown): output is ToolFailure {
  return typeof output === "object" && output !== null && (output as ToolFailure).is_error === true;
}

/** Runs a tool body, turning refusals and API errors into failure results. */
export async function refusalsAsResults<T>(body: () => Promise<T>): Promise<T | ToolFailure> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof ToolRefusal) return { is_error: true, code: err.code, text: err.message };
    if (err instanceof AgentRequestError) {
      // The agent's validation details name the field the model got wrong.
      const fields = err.validations?.map((v) => `${v.field}: ${v.detail}`).join("; ");
      return {
        is_error: true,
        code: err.code,
        text: fields ? `${err.message} (${fields})` : err.message,
      };
    }
    if (err instanceof ApiError) return { is_error: true, code: err.code, text: err.message };
    throw err;
  }
}
