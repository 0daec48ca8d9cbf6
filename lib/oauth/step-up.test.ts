import { describe, expect, it } from "vitest";
import { detectInsufficientScope, insufficientScopeOf, scopeUnion, stepUpScope } from "./step-up";

describe("step-up scopes", () => {
  it("asks for the union of what it had and what the server challenged", () => {
    expect(scopeUnion("a b", "b c")).toBe("a b c");
    expect(stepUpScope("mcp:basic", "mcp:basic mcp:write")).toBe("mcp:basic mcp:write");
    expect(stepUpScope(null, "x")).toBe("x");
  });

  it("gives up when the challenge adds nothing or grows without bound", () => {
    expect(stepUpScope("a b", "b a")).toBeNull();
    expect(stepUpScope("a", "")).toBeNull();
    expect(stepUpScope("a", "s".repeat(2_000))).toBeNull();
  });

  it("turns a 403 insufficient_scope answer into an error carrying the scope", async () => {
    const answer = (status: number, challenge: string) => async (_url: string | URL) =>
      new Response("{}", { status, headers: { "www-authenticate": challenge } });
    const scoped = detectInsufficientScope(
      answer(403, 'Bearer error="insufficient_scope", scope="a b"'),
    );
    const error = await scoped("http://x.test/mcp").then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(insufficientScopeOf(new Error("wrapped", { cause: error }))?.scope).toBe("a b");
    // Any other refusal is passed through untouched, for the SDK to report.
    const other = await detectInsufficientScope(answer(403, 'Bearer error="invalid_token"'))(
      "http://x.test/mcp",
    );
    expect(other.status).toBe(403);
    expect((await detectInsufficientScope(answer(401, "Bearer"))("http://x.test")).status).toBe(
      401,
    );
  });
});
