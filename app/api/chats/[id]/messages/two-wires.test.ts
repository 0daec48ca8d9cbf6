// One chat turn with two MCP servers on different wires: a 2.x SDK server speaking 2026-07-28
// (stateless) and a 1.x SDK server speaking 2025-11-25. Route handlers, the fake model, both
// real servers and the real database; each server is asked in its own era. (Questions a
// 2026-07-28 server asks through input_required: app/api/chats/[id]/elicitations/.)
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startMcp2026Server, type RunningMcp2026Server } from "@/e2e/fixtures/mcp-2026-server";
import { withTestDatabase } from "@/lib/testing/db";
import { withTurnFixtures } from "@/lib/testing/turn-fixtures";

const t = withTestDatabase();
const h = withTurnFixtures(t, { mcp: {}, label: "Wire", slugPrefix: "wire" });
let modern: RunningMcp2026Server | undefined;

beforeAll(async () => {
  modern = await startMcp2026Server({ legacy: "reject" });
});
afterAll(async () => {
  await modern?.close();
});

const rpcMethods = (requests: Array<{ rpcMethods: string[] }>) =>
  requests.flatMap((request) => request.rpcMethods);

type ToolPart = { type: string; name?: string; output?: unknown; is_error?: boolean };

describe("a turn across both wires", () => {
  it("calls a 2026-07-28 server and a 2025-11-25 server in the same step", async () => {
    const next = await h.server({ slug: "next", url: modern!.mcpUrl });
    const old = await h.server({ slug: "old" });
    const chat = await h.newChat(h.member.token, [next.id, old.id]);
    const k = h.key("two-wires");
    const script = h.fake.script(k, [
      {
        toolCalls: [
          { name: "next__echo", arguments: { text: "from 2026" } },
          { name: "old__echo", arguments: { text: "from 2025" } },
          { name: "next__resume", arguments: {} },
          { name: "next__sample", arguments: {} },
        ],
      },
      { text: "Both answered." },
    ]);
    const res = await h.sendJson(h.member.token, chat.id, k);
    expect(res.status, JSON.stringify(res.body)).toBe(200);

    const offered = script.requests()[0]!.toolNames;
    expect(offered).toEqual(expect.arrayContaining(["next__echo", "next__add", "old__echo"]));
    const parts = res.body.message.parts as ToolPart[];
    const tool = (name: string) => parts.find((p) => p.type === "tool" && p.name === name);
    expect(JSON.stringify(tool("next__echo")?.output)).toContain("echo: from 2026");
    expect(tool("next__echo")?.is_error).toBeFalsy();
    expect(JSON.stringify(tool("old__echo")?.output)).toContain("from 2025");
    expect(tool("old__echo")?.is_error).toBeFalsy();
    // A round that only asks to be called again: retried with its requestState, completed.
    expect(JSON.stringify(tool("next__resume")?.output)).toContain("resumed");
    expect(tool("next__resume")?.is_error).toBeFalsy();
    // Input toolgate cannot give (sampling) on the new wire: one failed call, a clear reason.
    expect(tool("next__sample")?.is_error).toBe(true);
    expect(tool("next__sample")?.output).toMatchObject({ code: "mcp.input_required" });
    expect(JSON.stringify(tool("next__sample")?.output)).toContain(
      "needs input toolgate cannot give",
    );
    expect(res.body.message.status).not.toBe("error");

    const modernMethods = rpcMethods(modern!.requests());
    expect(modernMethods).toContain("server/discover");
    expect(modernMethods).not.toContain("initialize");
    // echo, resume twice (the retry), sample once.
    expect(modernMethods.filter((m) => m === "tools/call")).toHaveLength(4);
    const legacyMethods = rpcMethods(h.mcp.requests());
    expect(legacyMethods).toContain("initialize");
    expect(legacyMethods).toContain("tools/call");
  });
});
