// Browser-side API access: one fetcher that turns problem+json into a typed error, so every
// screen shows the server's message and can react to its stable code.
export interface FieldProblem {
  field: string;
  detail: string;
}

export class ApiRequestError extends Error {
  override name = "ApiRequestError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly validations: FieldProblem[] = [],
  ) {
    super(message);
  }

  /** The first problem reported for `field`, for showing beside that form control. */
  fieldError(field: string): string | undefined {
    return this.validations.find((v) => v.field === field)?.detail;
  }
}

export async function apiFetch<T>(
  path: string,
  init: {
    method?: string;
    body?: unknown;
    signal?: AbortSignal;
    headers?: Record<string, string>;
  } = {},
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: init.method ?? (init.body === undefined ? "GET" : "POST"),
      headers: {
        ...(init.body === undefined ? {} : { "Content-Type": "application/json" }),
        ...init.headers,
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      credentials: "same-origin",
      signal: init.signal,
    });
  } catch (err) {
    if ((err as Error).name === "AbortError") throw err;
    throw new ApiRequestError(
      0,
      "network.unreachable",
      "Cannot reach the server. Check your connection.",
    );
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!res.ok) {
    const problem = (data ?? {}) as {
      code?: string;
      message?: string;
      validations?: FieldProblem[];
    };
    throw new ApiRequestError(
      res.status,
      problem.code ?? `http.${res.status}`,
      problem.message ?? `The server answered ${res.status}.`,
      problem.validations,
    );
  }
  return data as T;
}

export function errorMessage(err: unknown): string {
  if (err instanceof ApiRequestError) return err.message;
  if (err instanceof Error) return err.message;
  return "Something went wrong.";
}
