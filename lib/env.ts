import "server-only";
import path from "node:path";
import { z } from "zod";

// Read at runtime, not at build time: the same build runs with different environments.
const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  APP_URL: z.url({ protocol: /^https?$/ }).optional(),
  DATA_DIR: z.string().min(1).default("./.data"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")
    .optional(),
  AUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  SECRETS_KEYS: z.string().optional(),
  EGRESS_ALLOWLIST: z.string().default(""),
  OIDC_ISSUER: z.url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_NAME: z.string().min(1).default("OIDC"),
  // Providers refuse requests with too many tools (OpenAI: 128) and every tool costs prompt
  // tokens: a server listing thousands must not sink every turn.
  MCP_MAX_TOOLS_PER_SERVER: z.coerce.number().int().min(1).max(1000).default(100),
  MCP_MAX_TOOLS_PER_TURN: z.coerce.number().int().min(1).max(1000).default(128),
  // An unanswered tool-call approval expires (counts as declined) after this many seconds.
  APPROVAL_TIMEOUT_S: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 3600)
    .default(600),
  // Tool-call audit rows older than this are deleted by a daily sweep.
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(1).max(36500).default(365),
});

export type Env = z.infer<typeof EnvSchema> & {
  appUrl: string;
  dataDir: string;
  oidcEnabled: boolean;
};

let cached: { source: string; env: Env } | undefined;

function emptyToUndefined(source: NodeJS.ProcessEnv): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const key of Object.keys(EnvSchema.shape)) {
    const value = source[key];
    out[key] = value === undefined || value.trim() === "" ? undefined : value.trim();
  }
  return out;
}

export function getEnv(): Env {
  const raw = emptyToUndefined(process.env);
  const source = JSON.stringify(raw);
  if (cached?.source === source) return cached.env;
  const parsed = EnvSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const oidcSet = [e.OIDC_ISSUER, e.OIDC_CLIENT_ID, e.OIDC_CLIENT_SECRET].filter(Boolean).length;
  if (oidcSet !== 0 && oidcSet !== 3) {
    throw new Error(
      "Invalid environment: OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set together",
    );
  }
  const env: Env = {
    ...e,
    appUrl: new URL(e.APP_URL ?? `http://localhost:${e.PORT}`).origin,
    dataDir: path.resolve(e.DATA_DIR),
    oidcEnabled: oidcSet === 3,
  };
  cached = { source, env };
  return env;
}
