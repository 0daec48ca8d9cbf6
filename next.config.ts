import type { NextConfig } from "next";

const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
];

const nextConfig: NextConfig = {
  // PGlite ships WASM and data files that must be loaded from node_modules at runtime.
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2"],
  poweredByHeader: false,
  // Keep the dev badge away from the sidebar's user menu in the bottom-left corner.
  devIndicators: { position: "bottom-right" },
  async headers() {
    return [
      {
        // Everything but the MCP OAuth callback page, whose own `no-referrer` (the URL carries
        // the authorization code) and CSP must not be overridden by these.
        source: "/:path((?!api/mcp/servers/[^/]+/oauth2/callback).*)",
        headers: securityHeaders,
      },
    ];
  },
};

export default nextConfig;
