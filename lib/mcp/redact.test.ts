import { describe, expect, it } from "vitest";
import {
  createRedactor,
  credentialValues,
  encodingsOf,
  REDACTION_MARKER,
  redactToolResult,
} from "./redact";

const TOKEN = "eyJhbGciOiJSUzI1NiJ9.payload.signature-Zz9";

describe("credentialValues", () => {
  it("takes whole values, the token after a scheme, and Basic's password", () => {
    const basic = Buffer.from("svc-user:pa55w0rd!x").toString("base64");
    expect(
      credentialValues({
        Authorization: `Bearer ${TOKEN}`,
        "X-Api-Key": "  key-123456  ",
        "Proxy-Authorization": `Basic ${basic}`,
        "X-Short": "abc",
      }).sort(),
    ).toEqual(
      [
        `Bearer ${TOKEN}`,
        TOKEN,
        "key-123456",
        `Basic ${basic}`,
        basic,
        "svc-user:pa55w0rd!x",
        "pa55w0rd!x",
      ].sort(),
    );
  });
});

describe("createRedactor", () => {
  const redactor = createRedactor([TOKEN, "key with spaces/+="]);

  it.each([
    ["raw", TOKEN],
    ["JSON-escaped", JSON.stringify("key with spaces/+=").slice(1, -1)],
    ["URL-encoded", encodeURIComponent("key with spaces/+=")],
    ["form-encoded", encodeURIComponent("key with spaces/+=").replace(/%20/g, "+")],
    ["base64", Buffer.from(TOKEN).toString("base64")],
    ["base64url", Buffer.from(TOKEN).toString("base64url")],
    ["hex", Buffer.from(TOKEN).toString("hex")],
    ["HEX", Buffer.from(TOKEN).toString("hex").toUpperCase()],
  ])("removes the %s form", (_label, form) => {
    const out = redactor.text(`before ${form} after`);
    expect(out).toBe(`before ${REDACTION_MARKER} after`);
  });

  it("finds the secret base64-encoded inside a larger value, at any byte offset", () => {
    for (const prefix of ["authorization: Bearer ", "x: Bearer ", "ab: Bearer "]) {
      const encoded = Buffer.from(`${prefix}${TOKEN}\nnext: 1`).toString("base64");
      const out = redactor.text(encoded);
      expect(out).toContain(REDACTION_MARKER);
      // What is left cannot be decoded back to the token.
      expect(Buffer.from(out.replace(REDACTION_MARKER, ""), "base64").toString()).not.toContain(
        TOKEN.slice(4, 20),
      );
    }
  });

  it("leaves text without credentials alone and ignores values too short to be secrets", () => {
    expect(createRedactor(["abc"]).active).toBe(false);
    expect(redactor.text("nothing to see")).toBe("nothing to see");
    expect(encodingsOf("abcdef")).toContain("abcdef");
  });

  it("redacts text, structured content, resources, metadata and keys of a result", () => {
    const result = redactToolResult(
      {
        content: [
          { type: "text", text: `token=${TOKEN}` },
          { type: "resource", resource: { uri: "x://a", text: `k: ${TOKEN}` } },
        ],
        structuredContent: { [TOKEN]: { nested: [TOKEN] } },
        isError: true,
        _meta: { echoed: TOKEN },
      },
      redactor,
    );
    expect(JSON.stringify(result)).not.toContain(TOKEN);
    expect(result.isError).toBe(true);
    expect(result.content[0]).toEqual({ type: "text", text: `token=${REDACTION_MARKER}` });
  });
});
