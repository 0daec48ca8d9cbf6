import { describe, expect, it } from "vitest";
import {
  downloadName,
  formatBytes,
  openableUrl,
  resourceName,
  resourcesOf,
} from "./tool-attachments-logic";

describe("tool attachments", () => {
  it("opens only http(s) links", () => {
    expect(openableUrl("https://docs.example.com/a?b=1")).toBe("https://docs.example.com/a?b=1");
    expect(openableUrl("http://example.com")).toBe("http://example.com/");
    expect(openableUrl("javascript:alert(1)")).toBeNull();
    expect(openableUrl("file:///etc/passwd")).toBeNull();
    expect(openableUrl("test://docs/guide.md")).toBeNull();
    expect(openableUrl("not a url")).toBeNull();
  });

  it("reads stored resources defensively", () => {
    expect(resourcesOf(undefined)).toEqual([]);
    expect(resourcesOf({ text: "x", resources: "nope" })).toEqual([]);
    expect(
      resourcesOf({
        text: "",
        resources: [
          { kind: "link", uri: "https://x.test/a", name: "a", size: -1, title: 3 },
          { kind: "text", uri: "test://t" },
          { kind: "text", uri: "test://t", text: "body", truncated: true },
          { kind: "blob", uri: "test://b", bytes: 6, data: "AAEC" },
          { kind: "other", uri: "x" },
          null,
        ],
      }),
    ).toEqual([
      { kind: "link", uri: "https://x.test/a", name: "a" },
      { kind: "text", uri: "test://t", text: "body", truncated: true },
      { kind: "blob", uri: "test://b", bytes: 6, data: "AAEC" },
    ]);
  });

  it("names resources and downloads safely", () => {
    expect(resourceName("test://docs/readme.md")).toBe("readme.md");
    expect(resourceName("https://x.test/a%20b.txt?x=1#f")).toBe("a b.txt");
    expect(resourceName("test://")).toBe("test://");
    expect(downloadName("test://files/../..\\evil<>.sh")).toBe("_evil_.sh");
    expect(downloadName("test://")).toBe("test_");
    expect(resourceName("file:///srv/q3.pdf")).toBe("q3.pdf");
    expect(formatBytes(1)).toBe("1 byte");
    expect(formatBytes(6)).toBe("6 bytes");
    expect(formatBytes(2048)).toBe("2.0 KB");
    expect(formatBytes(3 * 1024 * 1024)).toBe("3.0 MB");
  });
});
