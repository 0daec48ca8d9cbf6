import "server-only";
import { getEnv } from "@/lib/env";
import { randomSecret, readOrCreateSecretFile } from "@/lib/server/data-dir";

/** `AUTH_SECRET`, or one generated once into `DATA_DIR` for the embedded default. */
export function getAuthSecret(): string {
  const env = getEnv();
  return (
    env.AUTH_SECRET ?? readOrCreateSecretFile(env.dataDir, "auth-secret", () => randomSecret(48))
  );
}

export const SESSION_COOKIE = "authjs.session-token";
export const SECURE_SESSION_COOKIE = "__Secure-authjs.session-token";
