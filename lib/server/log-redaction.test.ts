import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { openPglite } from "@/db/client";
import { installLogRedaction } from "./log-redaction";

describe("installLogRedaction", () => {
  it("logs a failed query by statement and SQLSTATE, whoever logs it, and leaves the rest alone", async () => {
    const lines: unknown[][] = [];
    const target = {
      error: (...args: unknown[]) => lines.push(args),
      warn: (...args: unknown[]) => lines.push(args),
    } as unknown as Console;
    installLogRedaction(target);
    installLogRedaction(target);

    const handle = openPglite(null);
    const failure = await handle.db
      .execute(sql`select ${"$argon2id$v=19$secret-hash"}::uuid`)
      .catch((e: unknown) => e);
    await handle.close();
    target.error("⨯", failure);
    target.warn("plain", 42);

    expect(lines).toHaveLength(2);
    const logged = String(lines[0]![1]);
    expect(logged).toContain("select $1::uuid");
    expect(logged).toContain("22P02");
    expect(logged).not.toContain("secret-hash");
    expect(lines[0]![0]).toBe("⨯");
    expect(lines[1]).toEqual(["plain", 42]);
  });
});
