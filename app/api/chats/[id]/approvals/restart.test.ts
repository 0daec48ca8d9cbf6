// A pending approval outlives the instance that paused: answered after an app restart (the
// database closed and opened again, the MCP pool gone) and, on Postgres, on another instance
// (a second connection pool to the same database) while the first one still runs.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { openPglite, openPostgres, type DbHandle } from "@/db/client";
import { toolCallAudit } from "@/db/schema-tool-calls";
import { getMcpPool } from "@/lib/mcp/pool";
import { setDbHandleForTests } from "@/lib/server/database";
import { withApprovalTurns } from "@/lib/testing/approval-turns";
import { testDatabaseKind } from "@/lib/testing/db";

const kind = testDatabaseKind();
let dir: string | undefined;
let pgUrl: string | undefined;
let dbName: string | undefined;
let current: DbHandle | undefined;
const extra: DbHandle[] = [];

/** Opens (another) app instance's database handle. */
function openInstance(): DbHandle {
  return kind === "pglite" ? openPglite(dir!) : openPostgres(pgUrl!, { max: 5 });
}

beforeAll(async () => {
  if (kind === "pglite") {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "toolgate-restart-"));
  } else {
    const base = process.env.DATABASE_URL!;
    dbName = `toolgate_t_${randomBytes(6).toString("hex")}`;
    const admin = postgres(base, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${dbName}`);
    await admin.end();
    const url = new URL(base);
    url.pathname = `/${dbName}`;
    pgUrl = url.toString();
  }
  current = openInstance();
  await current.migrate();
  setDbHandleForTests(current);
});

const h = withApprovalTurns({
  get db() {
    return current!.db;
  },
});

afterAll(async () => {
  setDbHandleForTests(undefined);
  await current?.close();
  for (const handle of extra) await handle.close().catch(() => undefined);
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  if (dbName) {
    const admin = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists ${dbName} with (force)`);
    await admin.end();
  }
});

async function pause(label: string) {
  const server = await h.server();
  await h.requireApproval(current!.db, server.id, "echo");
  const chat = await h.newChat(h.member.token, [server.id]);
  const key = h.key(label);
  const script = h.fake.script(key, [
    { toolCalls: [{ name: `${server.slug}__echo`, arguments: { text: "before restart" } }] },
    { text: "Resumed elsewhere." },
  ]);
  const res = await h.sendJson(h.member.token, chat.id, `${key} go`);
  expect(res.body.chat.status).toBe("waiting");
  const approval = res.body.message.parts.find((p: { type: string }) => p.type === "approval");
  return { chat, script, approval };
}

describe("a pending approval across instances", () => {
  it("is answered after an app restart and the turn completes", async () => {
    const { chat, approval } = await pause("restart");
    const before = h.mcp.toolCalls().length;
    // The restart: the pool and the database handle go away, a new one opens the same data.
    await getMcpPool().close();
    await current!.close();
    current = openInstance();
    await current.migrate();
    setDbHandleForTests(current);

    const listed = await h.approvals(h.member.token, chat.id);
    expect(listed.body.map((a) => [a.approval_id, a.state])).toEqual([
      [approval.approval_id, "pending"],
    ]);
    const res = await h.answer(h.member.token, chat.id, approval.approval_id, {
      decision: "approve",
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect((await h.settled(current.db, chat.id)).status).toBe("idle");
    expect(
      h.mcp
        .toolCalls()
        .slice(before)
        .map((c) => c.arguments),
    ).toEqual([{ text: "before restart" }]);
    const rows = await current.db
      .select()
      .from(toolCallAudit)
      .where(eq(toolCallAudit.chatId, chat.id));
    expect(rows.map((r) => [r.decision, r.outcome])).toEqual([["approved", "ok"]]);
  });

  it.runIf(kind === "postgres")(
    "is answered on another instance while the one that paused still runs",
    async () => {
      const first = current!;
      const { chat, approval, script } = await pause("two-instances");
      const second = openInstance();
      extra.push(second);
      // Requests now reach the second instance; the first stays open beside it.
      setDbHandleForTests(second);
      const res = await h.answer(h.member.token, chat.id, approval.approval_id, {
        decision: "approve",
        input: { text: "approved on instance two" },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect((await h.settled(first.db, chat.id)).status).toBe("idle");
      expect(JSON.stringify(script.requests()[1]!.body)).toContain("approved on instance two");
      // A second answer on the first instance is refused.
      setDbHandleForTests(first);
      const again = await h.answer(h.member.token, chat.id, approval.approval_id, {
        decision: "deny",
      });
      expect(again.status).toBe(409);
    },
  );
});
