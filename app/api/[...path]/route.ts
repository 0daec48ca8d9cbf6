import { ApiError, problemResponse } from "@/lib/errors";

// Unknown API paths answer in the API's own error format rather than with an HTML page.
function notFound(): Response {
  return problemResponse(new ApiError(404, "route.not_found", "No such API route."));
}

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
