import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { mcpServerConfigs, mcpServerTools } from "@/db/schema";
import { mcpConfigEpoch } from "@/db/schema-config-epoch";
import { createTestDatabase, testDatabaseKind, withTestDatabase } from "@/lib/testing/db";
import { mcpConfigSnapshot } from "./mcp-config-snapshot";

const t = withTestDatabase();

const epoch = async () => (await t.db.select().from(mcpConfigEpoch))[0]!.epoch;
const insertServer = (slug: string) =>
  t.db
    .insert(mcpServerConfigs)
    .values({ displayName: slug, slug, url: "https://mcp.example/mcp" })
    .returning()
    .then((r) => r[0]!);

describe("the config snapshot", () => {
  it("is reused while nothing changes, and read again after any committed change", async () => {
    const a = await insertServer("alpha");
    const first = await mcpConfigSnapshot(t.db);
    expect(first.servers.map((s) => s.slug)).toContain("alpha");
    expect(await mcpConfigSnapshot(t.db)).toBe(first);

    await t.db.update(mcpServerConfigs).set({ enabled: true }).where(eq(mcpServerConfigs.id, a.id));
    const second = await mcpConfigSnapshot(t.db);
    expect(second).not.toBe(first);
    expect(second.servers.find((s) => s.id === a.id)?.enabled).toBe(true);

    await t.db.insert(mcpServerTools).values({
      serverId: a.id,
      name: "echo",
      definition: { name: "echo" },
      definitionHash: "sha256:00",
      rule: "approval",
    });
    const third = await mcpConfigSnapshot(t.db);
    expect(third).not.toBe(second);
    expect((await third.governance()).get(a.id)?.get("echo")?.rule).toBe("approval");

    await t.db.delete(mcpServerConfigs).where(eq(mcpServerConfigs.id, a.id));
    expect((await mcpConfigSnapshot(t.db)).servers.some((s) => s.id === a.id)).toBe(false);
  });

  it("moves the epoch once per transaction, at commit, and not for a rolled-back one", async () => {
    const before = await epoch();
    await t.db.transaction(async (tx) => {
      await tx
        .insert(mcpServerConfigs)
        .values({ displayName: "b", slug: "beta", url: "https://b/" });
      await tx
        .insert(mcpServerConfigs)
        .values({ displayName: "c", slug: "gamma", url: "https://c/" });
    });
    const after = await epoch();
    expect(after).toBe(before + 1);
    await expect(
      t.db.transaction(async (tx) => {
        await tx
          .insert(mcpServerConfigs)
          .values({ displayName: "d", slug: "delta", url: "https://d/" });
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(await epoch()).toBe(after);
    const snapshot = await mcpConfigSnapshot(t.db);
    expect(snapshot.servers.map((s) => s.slug)).not.toContain("delta");
    await insertServer("epsilon");
    expect(await epoch()).toBeGreaterThan(after);
    expect((await mcpConfigSnapshot(t.db)).servers.map((s) => s.slug)).toContain("epsilon");
  });

  it("costs no statement on PGlite while nothing changed (an epoch read on Postgres), and sees a change at once", async () => {
    let statements = 0;
    const own = await createTestDatabase({ logger: { logQuery: () => void (statements += 1) } });
    try {
      const db = own.handle.db;
      const [row] = await db
        .insert(mcpServerConfigs)
        .values({ displayName: "z", slug: "zeta", url: "https://z/" })
        .returning();
      const first = await mcpConfigSnapshot(db);
      // Listening starts with the first snapshot; after that a current snapshot is free.
      let cost = 1;
      for (let i = 0; i < 50 && cost > 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        const before = statements;
        expect(await mcpConfigSnapshot(db)).toBe(first);
        cost = statements - before;
      }
      expect(cost).toBe(testDatabaseKind() === "pglite" ? 0 : 1);

      await db
        .update(mcpServerConfigs)
        .set({ enabled: true })
        .where(eq(mcpServerConfigs.id, row!.id));
      const after = await mcpConfigSnapshot(db);
      expect(after).not.toBe(first);
      expect(after.servers.find((s) => s.id === row!.id)?.enabled).toBe(true);
    } finally {
      await own.drop();
    }
  });
});
