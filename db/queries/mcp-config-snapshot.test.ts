import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { mcpServerConfigs, mcpServerTools } from "@/db/schema";
import { mcpConfigEpoch } from "@/db/schema-config-epoch";
import { withTestDatabase } from "@/lib/testing/db";
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
});
