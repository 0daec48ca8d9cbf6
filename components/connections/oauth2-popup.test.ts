import { describe, expect, it } from "vitest";
import type { McpServerConfig } from "@/lib/client/types";
import {
  connectionServers,
  connectionState,
  needsOauth2Connect,
  oauth2ErrorText,
  parseOauth2Message,
  popupFeatures,
} from "./oauth2-popup";

const ORIGIN = "http://localhost:3000";

const server = (id: string, over: Partial<McpServerConfig> = {}) =>
  ({
    id,
    display_name: id,
    enabled: true,
    auth_type: "oauth2",
    auth_connected: false,
    ...over,
  }) as McpServerConfig;

describe("parseOauth2Message", () => {
  it("reads the callback page's two messages", () => {
    expect(
      parseOauth2Message({ type: "mcp-oauth2-complete", server_id: "s1" }, ORIGIN, ORIGIN),
    ).toEqual({ type: "complete", serverId: "s1" });
    expect(
      parseOauth2Message(
        { type: "mcp-oauth2-error", server_id: "s1", code: "oauth2.provider_error" },
        ORIGIN,
        ORIGIN,
      ),
    ).toEqual({ type: "error", serverId: "s1", code: "oauth2.provider_error" });
  });

  it("ignores other origins, other shapes and other messages", () => {
    const ok = { type: "mcp-oauth2-complete", server_id: "s1" };
    expect(parseOauth2Message(ok, "http://evil.example", ORIGIN)).toBeNull();
    expect(parseOauth2Message(ok, "http://localhost:3001", ORIGIN)).toBeNull();
    expect(parseOauth2Message("mcp-oauth2-complete", ORIGIN, ORIGIN)).toBeNull();
    expect(parseOauth2Message(null, ORIGIN, ORIGIN)).toBeNull();
    expect(parseOauth2Message({ type: "mcp-oauth2-complete" }, ORIGIN, ORIGIN)).toBeNull();
    expect(parseOauth2Message({ type: "other", server_id: "s1" }, ORIGIN, ORIGIN)).toBeNull();
    expect(
      parseOauth2Message({ type: "mcp-oauth2-error", server_id: "s1", code: 3 }, ORIGIN, ORIGIN),
    ).toEqual({ type: "error", serverId: "s1", code: "" });
  });
});

describe("oauth2ErrorText", () => {
  it("words known codes and falls back for the rest", () => {
    expect(oauth2ErrorText("oauth2.provider_error")).toBe(
      "The authorization server did not grant access.",
    );
    expect(oauth2ErrorText("oauth2.something_new")).toBe(
      "The connection could not be completed. Try again.",
    );
  });
});

describe("popupFeatures", () => {
  it("centres a popup on the window and never asks for noopener", () => {
    const features = popupFeatures({
      screenX: 100,
      screenY: 50,
      outerWidth: 1320,
      outerHeight: 920,
    });
    expect(features).toBe("popup=yes,width=520,height=720,left=500,top=150");
    expect(features).not.toContain("noopener");
    expect(popupFeatures({ screenX: 0, screenY: 0, outerWidth: 300, outerHeight: 300 })).toContain(
      "left=0,top=0",
    );
  });
});

describe("connections", () => {
  it("lists enabled OAuth2 and user OIDC servers by name", () => {
    const list = connectionServers([
      server("zeta"),
      server("alpha", { auth_type: "user_oidc" }),
      server("off", { enabled: false }),
      server("plain", { auth_type: "none" }),
      server("key", { auth_type: "api_key" }),
    ]);
    expect(list.map((s) => s.id)).toEqual(["alpha", "zeta"]);
  });

  it("tells the four states apart", () => {
    expect(connectionState(server("a", { auth_connected: true }))).toBe("connected");
    expect(connectionState(server("a"))).toBe("not_connected");
    expect(connectionState(server("a", { auth_type: "user_oidc", auth_connected: true }))).toBe(
      "oidc_ready",
    );
    expect(connectionState(server("a", { auth_type: "user_oidc" }))).toBe("oidc_missing");
  });

  it("offers Connect in the picker only for unconnected OAuth2 servers", () => {
    expect(needsOauth2Connect(server("a"))).toBe(true);
    expect(needsOauth2Connect(server("a", { auth_connected: true }))).toBe(false);
    expect(needsOauth2Connect(server("a", { auth_type: "user_oidc" }))).toBe(false);
  });
});
