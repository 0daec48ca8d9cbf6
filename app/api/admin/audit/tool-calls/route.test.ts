import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { randomUUID } from "node:crypto";
import { insertToolAudit } from "@/db/queries/tool-audit";
import { toolCallAudit } from "@/db/schema-tool-calls";
import { withApprovalTurns } from "@/lib/testing/approval-turns";
import { withTestDatabase } from "@/lib/testing/db";
import { call } from "@/lib/testing/http";
import { sweepAuditRetention } from "@/lib/chat/approvals/sweeps";
import { inputSha256 } from "@/lib/chat/tool-audit";
import { GET as list } from "./route";
import { GET as exportCalls } from "./export/route";

const t = withTestDatabase();
const h = withApprovalTurns(t);
const SENTINEL = `sentinel-${randomUUID()}`;
const logged: string[] = [];

beforeAll(() => {
  for (const level of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      logged.push(args.map((a) => (a instanceof Error ? a.stack : JSON.stringify(a))).join(" "));
    });
  }
});
afterAll(() => vi.restoreAllMocks());

async function raw(path: string, token: string) {
  const headers = new Headers({ authorization: `Bearer ${token}` });
  const res = await exportCalls(new Request(`http://toolgate.test${path}`, { headers }), {
    params: Promise.resolve({}),
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** A small RFC 4180 reader: quoted cells, doubled quotes, CRLF rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else if (ch !== "\r") cell += ch;
  }
  return rows;
}

describe("tool-call audit", () => {
  let serverId = "";

  it("records every path of a call, with only the hash of the arguments", async () => {
    const open = await h.server();
    const gated = await h.server();
    serverId = gated.id;
    await h.requireApproval(t.db, gated.id, "echo");
    const chat = await h.newChat(h.member.token, [open.id, gated.id]);
    const key = h.key("audit");
    h.fake.script(key, [
      {
        toolCalls: [
          { name: `${open.slug}__echo`, arguments: { text: SENTINEL } },
          { name: `${open.slug}__nope`, arguments: { text: SENTINEL } },
          { name: `${gated.slug}__echo`, arguments: { text: SENTINEL } },
        ],
      },
      { text: "After the person said no." },
    ]);
    const res = await h.sendJson(h.member.token, chat.id, `${key} go`);
    expect(res.body.chat.status).toBe("waiting");
    const approval = res.body.message.parts.find((p: { type: string }) => p.type === "approval");
    await h.answer(h.member.token, chat.id, approval.approval_id, { decision: "deny" });
    await h.settled(t.db, chat.id);

    const page = await call(list, { token: h.admin.token, path: `/x?user_id=${h.member.user.id}` });
    expect(page.status).toBe(200);
    const mine = page.body.items.filter((i: { chat_id: string }) => i.chat_id === chat.id);
    const summary = mine.map((i: any) => `${i.tool}:${i.decision}:${i.outcome}`).sort();
    expect(summary).toEqual(
      ["echo:allowed:ok", "echo:declined:not_run", `${open.slug}__nope:denied:not_run`].sort(),
    );
    const allowed = mine.find((i: any) => i.decision === "allowed");
    expect(allowed).toMatchObject({
      user: { id: h.member.user.id, email: h.member.user.email },
      source: "mcp",
      server_id: open.id,
      server_slug: open.slug,
      agent: "root",
      plan_mode: false,
      input_sha256: inputSha256({ text: SENTINEL }),
    });
    expect(typeof allowed.duration_ms).toBe("number");
    expect(JSON.stringify(page.body)).not.toContain(SENTINEL);
  });

  it("filters, and walks every row exactly once with the cursor", async () => {
    const base = Date.now() - 60_000;
    for (let i = 0; i < 230; i += 1) {
      await insertToolAudit(t.db, {
        at: new Date(base + Math.floor(i / 3)), // several rows share a millisecond
        userId: h.admin.user.id,
        userEmail: h.admin.user.email,
        chatId: randomUUID(),
        turnId: randomUUID(),
        toolCallId: `bulk-${i}`,
        source: "builtin",
        tool: "read_file",
        planMode: false,
        agent: "root",
        inputSha256: inputSha256({ i }),
        decision: i % 2 ? "allowed" : "denied",
        outcome: i % 2 ? "ok" : "not_run",
        modelIntent: i === 0 ? '=HYPERLINK("http://x"), "quoted"\nline' : null,
      });
    }
    const seen = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const q: string = `/x?user_id=${h.admin.user.id}&limit=40${cursor ? `&cursor=${cursor}` : ""}`;
      const res = await call(list, { token: h.admin.token, path: q });
      expect(res.status).toBe(200);
      for (const item of res.body.items) {
        expect(seen.has(item.id)).toBe(false);
        seen.add(item.id);
      }
      cursor = res.body.next_cursor;
      pages += 1;
    } while (cursor);
    expect(seen.size).toBe(230);
    expect(pages).toBe(6);

    const denied = await call(list, {
      token: h.admin.token,
      path: `/x?user_id=${h.admin.user.id}&decision=denied&limit=200`,
    });
    expect(denied.body.items).toHaveLength(115);
    const byServer = await call(list, { token: h.admin.token, path: `/x?server_id=${serverId}` });
    expect(byServer.body.items.map((i: any) => i.decision)).toEqual(["declined"]);
    const future = await call(list, {
      token: h.admin.token,
      path: `/x?from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`,
    });
    expect(future.body.items).toHaveLength(0);
    expect((await call(list, { token: h.admin.token, path: "/x?limit=201" })).status).toBe(400);
    expect((await call(list, { token: h.admin.token, path: "/x?cursor=zzz" })).status).toBe(400);
    expect((await call(list, { token: h.member.token, path: "/x" })).status).toBe(403);
  });

  it("exports JSONL and CSV that parse, without the arguments", async () => {
    const jsonl = await raw("/x/export", h.admin.token);
    expect(jsonl.status).toBe(200);
    expect(jsonl.headers.get("content-type")).toContain("ndjson");
    const items = jsonl.text
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(items.length).toBe(233);
    expect(new Set(items.map((i) => i.id)).size).toBe(233);

    const csv = await raw(`/x/export?format=csv&user_id=${h.admin.user.id}`, h.admin.token);
    expect(csv.headers.get("content-disposition")).toMatch(
      /attachment; filename="tool-calls-.*\.csv"/,
    );
    const rows = parseCsv(csv.text);
    expect(rows[0]).toContain("input_sha256");
    expect(rows).toHaveLength(231);
    const intent = rows[0]!.indexOf("model_intent");
    const formula = rows.find((r) => r[intent]?.includes("HYPERLINK"));
    // A formula-looking cell is defused; quotes and newlines survive the round trip.
    expect(formula![intent]).toBe(`'=HYPERLINK("http://x"), "quoted"\nline`);

    expect(jsonl.text).not.toContain(SENTINEL);
    expect(csv.text).not.toContain(SENTINEL);
    expect((await raw("/x/export", h.member.token)).status).toBe(403);
  });

  it("keeps the sentinel out of the logs and the audit table, and sweeps old rows once a day", async () => {
    expect(logged.join("\n")).not.toContain(SENTINEL);
    const all = await t.db.select().from(toolCallAudit);
    expect(JSON.stringify(all)).not.toContain(SENTINEL);

    await insertToolAudit(t.db, {
      at: new Date(Date.now() - 400 * 24 * 3600 * 1000),
      userId: h.admin.user.id,
      userEmail: h.admin.user.email,
      chatId: randomUUID(),
      turnId: randomUUID(),
      toolCallId: "old",
      source: "builtin",
      tool: "read_file",
      planMode: false,
      agent: "root",
      inputSha256: inputSha256({}),
      decision: "allowed",
      outcome: "ok",
    });
    expect(await sweepAuditRetention(t.db)).toBe(1);
    // Claimed for the day: a second instance (or a second pass) does nothing.
    expect(await sweepAuditRetention(t.db)).toBeNull();
  });
});
