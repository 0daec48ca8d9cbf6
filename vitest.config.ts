import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@\//, replacement: `${root}/` },
      // Next's "server-only" marker throws outside a React server bundle.
      { find: /^server-only$/, replacement: `${root}/lib/testing/empty-module.ts` },
    ],
  },
  test: {
    environment: "node",
    // next-auth imports "next/server" without an extension, which Node's ESM resolver refuses
    // outside Next's bundler; inlined, Vite resolves it.
    server: { deps: { inline: ["next-auth"] } },
    setupFiles: ["./lib/testing/setup.ts"],
    include: ["**/*.test.ts", "**/*.test.tsx"],
    exclude: ["node_modules/**", ".next/**", "e2e/**/*.spec.ts", ".data/**"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
