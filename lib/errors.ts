/**
 * The one error type of the HTTP API. Every failure a route reports is an ApiError with a
 * stable `<area>.<reason>` code; the message is for humans and may change.
 *
 * It lives on the ground floor of lib/ and imports nothing, so services in any folder can
 * throw it without depending on the route layer (lib/api) that turns it into a response.
 */
export interface FieldProblem {
  field: string;
  detail: string;
}

export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly validations?: FieldProblem[],
  ) {
    super(message);
  }
}

export interface ProblemBody {
  code: string;
  message: string;
  validations?: FieldProblem[];
}

export function problemResponse(error: ApiError, headers?: HeadersInit): Response {
  const body: ProblemBody = { code: error.code, message: error.message };
  if (error.validations?.length) body.validations = error.validations;
  const h = new Headers(headers);
  h.set("Content-Type", "application/problem+json");
  h.set("Cache-Control", "no-store");
  return new Response(JSON.stringify(body), { status: error.status, headers: h });
}

// Shared constructors so the same situation always yields the same code and wording.
export const Errors = {
  authRequired: () =>
    new ApiError(401, "auth.required", "Sign in or send an API token as Authorization: Bearer."),
  invalidToken: () =>
    new ApiError(401, "auth.invalid_token", "The API token is invalid or revoked."),
  accountDisabled: () => new ApiError(401, "auth.account_disabled", "This account is disabled."),
  invalidCredentials: () =>
    new ApiError(401, "auth.invalid_credentials", "The email or password is incorrect."),
  rateLimited: () =>
    new ApiError(
      429,
      "auth.rate_limited",
      "Too many failed sign-ins for this email. Try again in 15 minutes.",
    ),
  forbidden: () => new ApiError(403, "auth.forbidden", "You do not have permission to do this."),
  csrf: () =>
    new ApiError(403, "csrf.rejected", "Cross-site request refused: it must come from this site."),
  notFound: (area: string, what = "resource") =>
    new ApiError(404, `${area}.not_found`, `The ${what} does not exist.`),
  badId: (field: string) =>
    new ApiError(400, "validation.id", `${field} must be a UUID.`, [
      { field, detail: "must be a UUID" },
    ]),
  tooLarge: (limit: number) =>
    new ApiError(413, "request.too_large", `The request body exceeds ${limit} bytes.`),
  unsupportedMediaType: () =>
    new ApiError(415, "request.unsupported_media_type", "Send the body as application/json."),
  malformedJson: () =>
    new ApiError(400, "validation.malformed_json", "The body is not valid JSON."),
  validation: (field: string, detail: string) =>
    new ApiError(400, "validation.invalid", `${field} ${detail}.`, [{ field, detail }]),
  internal: () =>
    new ApiError(500, "internal.error", "Something went wrong on the server. It has been logged."),
  unavailable: (code: string, message: string) => new ApiError(503, code, message),
} as const;
