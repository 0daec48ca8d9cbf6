// One turn with one tool call, against the zero-latency fake model: toolgate's turn (through
// the messages route: stored, streamed, policy-checked) against the script a developer would
// write by hand for the same work (AI SDK streamText with the same provider package, and an MCP
// SDK Client connected once), in the same process, in interleaved rounds.
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { jsonSchema, stepCountIs, streamText, tool } from "ai";
import { POST as createChat } from "@/app/api/chats/route";
import { POST as sendMessage } from "@/app/api/chats/[id]/messages/route";
import { call } from "@/lib/testing/http";
import type { BenchContext, BenchUser } from "../context";
import { interleaved, ROUNDS } from "../measure";
import { ms, ratio, type SectionReport } from "../report";
import type { BenchSection } from "../section";

let keyNo = 0;
const nextKey = (what: string) => `bench-${what}-${++keyNo}-${Date.now()}`;

/** A chat selecting `serverIds`, created before the timed part. */
export async function newChat(user: BenchUser, serverIds: string[]): Promise<string> {
  const res = await call(createChat, { token: user.token, body: { mcp_server_ids: serverIds } });
  if (res.status !== 201) throw new Error(`chat not created: ${JSON.stringify(res.body)}`);
  return (res.body as { id: string }).id;
}

/** One toolgate turn in `chatId` calling bench0__echo once; checks both model steps ran. */
export async function toolgateTurn(ctx: BenchContext, user: BenchUser, chatId: string) {
  const key = nextKey("turn");
  const script = ctx.fake.script(key, [
    { toolCalls: [{ name: "bench0__echo", arguments: { text: "hi" } }] },
    { text: "done" },
  ]);
  const res = await call(sendMessage, {
    token: user.token,
    params: { id: chatId },
    body: { content: key },
    headers: { accept: "application/json" },
  });
  if (res.status !== 200) throw new Error(`turn failed: ${JSON.stringify(res.body)}`);
  if (script.requests().length !== 2) throw new Error("the turn did not make both model calls");
  const parts = (res.body as { message: { parts: { type: string; state?: string }[] } }).message
    .parts;
  if (!parts.some((p) => p.type === "tool" && p.state === "complete")) {
    throw new Error(`the tool call did not complete: ${JSON.stringify(parts)}`);
  }
}

export const turn: BenchSection = {
  id: "turn",
  title: "One turn with one tool call vs a hand-written AI SDK + MCP SDK script (ms)",
  inProcess: true,
  async run(ctx: BenchContext, report: SectionReport) {
    const provider = createOpenAICompatible({ name: "fake", baseURL: ctx.fake.url });
    const client = new Client({ name: "bench-script", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(new URL(ctx.servers[0]!.mcpUrl)));
    ctx.own(() => client.close());
    const { tools: listed } = await client.listTools();
    const echo = listed.find((t) => t.name === "echo");
    if (!echo) throw new Error("the MCP server does not list echo");
    let calls = 0;
    const scriptTools = {
      bench0__echo: tool({
        description: echo.description ?? "",
        inputSchema: jsonSchema<Record<string, unknown>>(echo.inputSchema as never),
        execute: async (args) => {
          calls += 1;
          const result = await client.callTool({ name: "echo", arguments: args });
          return result.content;
        },
      }),
    };
    const script = async () => {
      const key = nextKey("script");
      ctx.fake.script(key, [
        { toolCalls: [{ name: "bench0__echo", arguments: { text: "hi" } }] },
        { text: "done" },
      ]);
      const before = calls;
      const result = streamText({
        model: provider("fake-model"),
        messages: [{ role: "user", content: key }],
        tools: scriptTools,
        stopWhen: stepCountIs(5),
      });
      const text = await result.text;
      if (text !== "done" || calls !== before + 1) throw new Error("the script's turn went wrong");
    };

    const chats: string[] = [];
    for (let i = 0; i < ROUNDS + 2; i++) chats.push(await newChat(ctx.admin, [ctx.serverIds[0]!]));
    const medians = await interleaved(ROUNDS, {
      script,
      toolgate: () => toolgateTurn(ctx, ctx.admin, chats.pop()!),
    });
    report.figure({
      label: "baseline: streamText + MCP SDK Client script",
      value: ms(medians.script),
    });
    const r = medians.toolgate / medians.script;
    report.figure({
      label: "a toolgate turn (stored, streamed, policy-checked)",
      value: `${ms(medians.toolgate)} ${ratio(r)}`,
      goal: { text: "<= 1.5x the script", met: r <= 1.5 },
    });
    report.figure({
      label: "server overhead of the turn",
      value: ms(medians.toolgate - medians.script),
    });
  },
};
