import { describe, expect, it } from "vitest";
import type { Message, Part } from "@/lib/client/types";
import {
  adoptStored,
  messageText,
  outputText,
  renderableToolPart,
  toUIMessages,
  type ChatUIPart,
} from "./message-convert";

const message = (parts: Part[], extra: Partial<Message> = {}): Message => ({
  id: "m1",
  role: "assistant",
  plan_mode: false,
  created_at: "2026-01-01T00:00:00.000Z",
  status: "complete",
  parts,
  ...extra,
});

const tool = (extra: Partial<Extract<Part, { type: "tool" }>>): Part => ({
  type: "tool",
  tool_call_id: "call_1",
  name: "docs__search_pages",
  server_id: "srv-1",
  source: "mcp",
  input: { query: "sso" },
  state: "complete",
  ...extra,
});

const onlyPart = (parts: Part[]) => toUIMessages([message(parts)])[0]!.parts[0];

describe("toUIMessages", () => {
  it("keeps ids, roles and the message's status, plan mode and time as metadata", () => {
    const [user] = toUIMessages([
      message([{ type: "text", text: "Hello" }], { id: "u1", role: "user", plan_mode: true }),
    ]);
    expect(user).toEqual({
      id: "u1",
      role: "user",
      metadata: { status: "complete", plan_mode: true, created_at: "2026-01-01T00:00:00.000Z" },
      parts: [{ type: "text", text: "Hello", state: "done" }],
    });
  });

  it("turns a completed tool call into a dynamic tool part with its output and server", () => {
    expect(onlyPart([tool({ output: { content: [{ type: "text", text: "found" }] } })])).toEqual({
      type: "dynamic-tool",
      toolName: "docs__search_pages",
      toolCallId: "call_1",
      toolMetadata: { server_id: "srv-1" },
      state: "output-available",
      input: { query: "sso" },
      output: { content: [{ type: "text", text: "found" }] },
    });
  });

  it("marks a workspace tool as coming from the workspace", () => {
    const part = onlyPart([
      tool({ name: "notes__add", source: "workspace_mcp", server_id: undefined, tool_name: "add" }),
    ]);
    expect(part).toMatchObject({ toolMetadata: { source: "workspace_mcp", tool_name: "add" } });
  });

  it("maps a running call to input-available and a streaming one to input-streaming", () => {
    expect(onlyPart([tool({ state: "running" })])).toMatchObject({ state: "input-available" });
    expect(onlyPart([tool({ state: "input-streaming" })])).toMatchObject({
      state: "input-streaming",
    });
  });

  it("shows failed calls and isError results as errors with the tool's message", () => {
    expect(
      onlyPart([tool({ state: "error", is_error: true, output: { is_error: true, text: "bad" } })]),
    ).toMatchObject({ state: "output-error", errorText: "bad" });
    expect(onlyPart([tool({ state: "error", output: "connection reset" })])).toMatchObject({
      state: "output-error",
      errorText: "connection reset",
    });
    expect(
      onlyPart([
        tool({
          state: "complete",
          is_error: true,
          output: { content: [{ type: "text", text: "no such page" }], isError: true },
        }),
      ]),
    ).toMatchObject({ state: "output-error", errorText: "no such page" });
    expect(onlyPart([tool({ state: "error" })])).toMatchObject({
      errorText: "The tool call failed.",
    });
  });

  it("marks a call the policy refused as denied", () => {
    expect(onlyPart([tool({ state: "denied", output: "not offered in this chat" })])).toMatchObject(
      {
        state: "output-denied",
        approval: { id: "call_1", approved: false, reason: "not offered in this chat" },
      },
    );
  });

  it("uses the stored model_intent, or extracts it from a wrapped input, as the title", () => {
    expect(onlyPart([tool({ model_intent: "Searching the docs for SSO" })])).toMatchObject({
      title: "Searching the docs for SSO",
    });
    expect(
      onlyPart([
        tool({ input: { model_intent: "checking the wiki", properties: { query: "sso" } } }),
      ]),
    ).toMatchObject({ title: "Checking the wiki" });
    expect(onlyPart([tool({})])).not.toHaveProperty("title");
  });

  it("keeps the tool's own name beside the exposed one", () => {
    expect(onlyPart([tool({ tool_name: "search_pages" })])).toMatchObject({
      toolMetadata: { server_id: "srv-1", tool_name: "search_pages" },
    });
  });

  it("turns notices, plans and questions into data parts and skips unknown kinds", () => {
    const question = {
      question: "Which one?",
      header: "Pick",
      options: [{ label: "A", description: "first" }, { label: "B" }],
      multi_select: true,
    };
    const [m] = toUIMessages([
      message([
        { type: "notice", code: "mcp.server_unavailable", detail: "timed out", server_id: "s" },
        { type: "notice", code: "tool.denied", detail: "nope" },
        { type: "plan", path: "/workspace/.toolgate/plans/c.md", content: "# Plan\n\n1. Do" },
        { type: "question", questions: [question] },
        { type: "future-kind" } as unknown as Part,
      ]),
    ]);
    expect(m!.parts).toEqual([
      {
        type: "data-notice",
        data: { code: "mcp.server_unavailable", detail: "timed out", server_id: "s" },
      },
      { type: "data-notice", data: { code: "tool.denied", detail: "nope" } },
      {
        type: "data-plan",
        data: { path: "/workspace/.toolgate/plans/c.md", content: "# Plan\n\n1. Do" },
      },
      { type: "data-question", data: { questions: [question] } },
    ]);
  });

  it("skips a stored question part that is not well-formed", () => {
    const [m] = toUIMessages([
      message([
        { type: "question", questions: ["Which one?"] },
        { type: "question", questions: [{ question: "Q?", options: [{ label: "only" }] }] },
        { type: "text", text: "after" },
      ]),
    ]);
    expect(m!.parts).toEqual([{ type: "text", text: "after", state: "done" }]);
  });
});

describe("messageText", () => {
  it("joins the text parts of a message", () => {
    const [m] = toUIMessages([
      message([
        { type: "text", text: "one" },
        { type: "notice", code: "x", detail: "y" },
        { type: "text", text: "two" },
      ]),
    ]);
    expect(messageText(m)).toBe("one\ntwo");
    expect(messageText(undefined)).toBe("");
  });
});

describe("outputText", () => {
  it("reads strings, MCP content, AI SDK content and falls back to JSON", () => {
    expect(outputText("plain")).toBe("plain");
    expect(outputText({ is_error: true, text: "Docs: unreachable" })).toBe("Docs: unreachable");
    expect(
      outputText({
        content: [
          { type: "text", text: "a" },
          { type: "text", text: "b" },
        ],
      }),
    ).toBe("a\nb");
    expect(outputText({ type: "content", value: [{ type: "text", text: "c" }] })).toBe("c");
    expect(outputText({ type: "error-text", value: "boom" })).toBe("boom");
    expect(outputText({ a: 1 })).toBe('{"a":1}');
    expect(outputText(undefined)).toBe("");
  });
});

describe("renderableToolPart", () => {
  it("renders a live built-in (a static tool part) like the stored call it becomes", () => {
    const live = {
      type: "tool-write_file",
      toolCallId: "call-1",
      state: "output-available",
      input: { path: "plan.md", content: "# Plan" },
      output: { text: "Wrote plan.md" },
    } as unknown as ChatUIPart;
    expect(renderableToolPart(live)).toEqual({
      type: "dynamic-tool",
      toolName: "write_file",
      toolCallId: "call-1",
      state: "output-available",
      input: { path: "plan.md", content: "# Plan" },
      output: { text: "Wrote plan.md" },
      toolMetadata: { source: "builtin" },
    });
    const stored = toUIMessages([
      {
        id: "m",
        role: "assistant",
        plan_mode: true,
        created_at: "2026-12-03T00:00:00.000Z",
        status: "complete",
        parts: [
          {
            type: "tool",
            tool_call_id: "call-1",
            name: "write_file",
            source: "builtin",
            input: { path: "plan.md", content: "# Plan" },
            output: { text: "Wrote plan.md" },
            state: "complete",
          },
        ],
      } as Message,
    ])[0]!.parts[0]!;
    const reloaded = renderableToolPart(stored)!;
    const again = renderableToolPart(live)!;
    expect([reloaded.toolName, reloaded.toolCallId, reloaded.state]).toEqual([
      again.toolName,
      again.toolCallId,
      again.state,
    ]);
  });

  it("passes MCP parts through and ignores parts that are not tools", () => {
    const dynamic = {
      type: "dynamic-tool",
      toolName: "docs__search",
      toolCallId: "c",
      state: "input-available",
      input: {},
    } as ChatUIPart;
    expect(renderableToolPart(dynamic)).toBe(dynamic);
    expect(renderableToolPart({ type: "text", text: "hi", state: "done" })).toBeNull();
  });
});

describe("adoptStored", () => {
  const stored = [
    {
      ...message([{ type: "text", text: "q" }], { id: "s-q", role: "user" }),
      parent_id: null,
      sibling_ids: ["old-q", "s-q"],
    },
    {
      ...message([{ type: "text", text: "stored a" }], { id: "s-a" }),
      parent_id: "s-q",
      sibling_ids: ["s-a"],
    },
  ];
  const live = toUIMessages([
    message([{ type: "text", text: "q" }], { id: "client-1", role: "user" }),
    message([{ type: "text", text: "live a" }], { id: "s-a" }),
  ]);

  it("takes the stored ids and branch data and keeps the live parts", () => {
    const adopted = adoptStored(live, stored);
    expect(adopted.map((m) => m.id)).toEqual(["s-q", "s-a"]);
    expect(adopted[0]!.metadata).toMatchObject({ parent_id: null, sibling_ids: ["old-q", "s-q"] });
    expect(adopted[1]!.parts).toEqual(live[1]!.parts);
  });

  it("leaves the live messages alone when the lists do not line up", () => {
    expect(adoptStored(live, stored.slice(0, 1))).toEqual(live);
    expect(adoptStored(live, [stored[1]!, stored[0]!])).toEqual(live);
  });

  it("marks reloaded messages with their branch data", () => {
    expect(toUIMessages(stored)[0]!.metadata?.sibling_ids).toEqual(["old-q", "s-q"]);
    expect(toUIMessages([message([])])[0]!.metadata).not.toHaveProperty("sibling_ids");
  });
});
