import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores([
    ".next/**",
    "node_modules/**",
    ".data/**",
    "test-data/**",
    "test-results/**",
    "playwright/**",
    "reports/**",
    "next-env.d.ts",
  ]),
  {
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  {
    // Tests read loosely typed JSON bodies; `any` there is the honest type.
    files: ["**/*.test.ts", "lib/testing/**", "e2e/**"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    // Components and client code must never reach the database or server-only modules.
    files: ["components/**", "lib/client/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@/db/*", "@/db/**"], message: "components never import db" },
            {
              // The auth routes' wire types are types only (lib/auth/wire.ts).
              group: [
                "@/lib/server/*",
                "@/lib/auth/*",
                "!@/lib/auth/wire",
                "@/lib/crypto/*",
                "@/lib/api/*",
              ],
              message: "server-only code",
            },
          ],
        },
      ],
    },
  },
  {
    // Wire types live beside the server code that produces them (lib/<area>/wire.ts); the
    // browser's lib/client only gathers them, so server code never reaches into it.
    files: ["lib/**", "app/api/**", "db/**"],
    ignores: ["lib/client/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@/lib/client/*", "@/lib/client/**"],
              message: "import the wire types from lib/<area>/wire.ts",
            },
          ],
        },
      ],
    },
  },
]);
