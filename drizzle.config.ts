import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: ["./db/schema.ts", "./db/schema-tool-calls.ts", "./db/schema-config-epoch.ts"],
  out: "./db/migrations",
});
