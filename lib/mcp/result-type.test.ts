import { describe, expect, it } from "vitest";
import { completeByDefault } from "./result-type";

const json = (body: unknown) =>
  new Response(JSON.stringify(body), { headers: { "content-type": "application/json" } });

describe("completeByDefault", () => {
  it("reads a tool result without resultType as complete", async () => {
    const patched = await completeByDefault(
      json({ jsonrpc: "2.0", id: 3, result: { content: [{ type: "text", text: "ok" }] } }),
    );
    expect(await patched.json()).toEqual({
      jsonrpc: "2.0",
      id: 3,
      result: { content: [{ type: "text", text: "ok" }], resultType: "complete" },
    });
  });

  it("leaves a result that says what it is, errors and other bodies alone", async () => {
    const asking = { jsonrpc: "2.0", id: 1, result: { resultType: "input_required" } };
    expect(await (await completeByDefault(json(asking))).json()).toEqual(asking);
    const failed = { jsonrpc: "2.0", id: 2, error: { code: -32601, message: "nope" } };
    expect(await (await completeByDefault(json(failed))).json()).toEqual(failed);
    const page = new Response("<html></html>", { headers: { "content-type": "text/html" } });
    expect(await (await completeByDefault(page)).text()).toBe("<html></html>");
    const broken = new Response("{not json", { headers: { "content-type": "application/json" } });
    expect(await (await completeByDefault(broken)).text()).toBe("{not json");
  });

  it("hands a body that fails while read on as a body that fails the same way", async () => {
    const cut = new Error("cut");
    const body = new ReadableStream<Uint8Array>({ start: (c) => c.error(cut) });
    const failing = new Response(body, { headers: { "content-type": "application/json" } });
    const handed = await completeByDefault(failing);
    await expect(handed.text()).rejects.toBe(cut);
  });
});
