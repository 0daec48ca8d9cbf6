import { describe, expect, it } from "vitest";
import { leavingHref } from "./unsaved-changes-logic";

const HERE = "http://127.0.0.1:4640/admin/mcp-servers/abc";

function click(
  attrs: Record<string, string> | null,
  mods: Partial<Pick<MouseEvent, "button" | "metaKey" | "ctrlKey" | "shiftKey" | "altKey">> = {},
  defaultPrevented = false,
) {
  const anchor = attrs && {
    getAttribute: (name: string) => attrs[name] ?? null,
    hasAttribute: (name: string) => name in attrs,
  };
  return {
    defaultPrevented,
    button: 0,
    metaKey: false,
    ctrlKey: false,
    shiftKey: false,
    altKey: false,
    ...mods,
    target: { closest: () => anchor } as unknown as EventTarget,
  };
}

describe("leavingHref", () => {
  it("catches a plain click on an in-app link to another page", () => {
    expect(leavingHref(click({ href: "/admin/mcp-servers" }), HERE)).toBe("/admin/mcp-servers");
    expect(leavingHref(click({ href: "../users?x=1#top" }), HERE)).toBe("/admin/users?x=1#top");
  });

  it.each([
    ["no link", click(null)],
    ["a fragment of this page", click({ href: "#auth" })],
    ["this very page", click({ href: "/admin/mcp-servers/abc" })],
    ["another origin", click({ href: "https://example.com/" })],
    ["a new tab", click({ href: "/x", target: "_blank" })],
    ["a download", click({ href: "/x", download: "" })],
    ["a ctrl-click", click({ href: "/x" }, { ctrlKey: true })],
    ["a middle click", click({ href: "/x" }, { button: 1 })],
    ["an already handled click", click({ href: "/x" }, {}, true)],
  ])("lets %s through", (_, event) => {
    expect(leavingHref(event, HERE)).toBeNull();
  });
});
