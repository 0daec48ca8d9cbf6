import "server-only";
import { getEnv } from "@/lib/env";
import { randomSecret, readOrCreateSecretFile } from "@/lib/server/data-dir";
import { parseKeyRing, type KeyRing } from "./keyring";
import { openWith, sealWith } from "./envelope";

const KEY_FILE = "secrets.keys";

let cached: { source: string; ring: KeyRing } | undefined;

/**
 * The key ring from `SECRETS_KEYS`, or from a key generated once into `DATA_DIR` so the
 * embedded default works with no configuration.
 */
export function getKeyRing(): KeyRing {
  const env = getEnv();
  const source =
    env.SECRETS_KEYS ?? readOrCreateSecretFile(env.dataDir, KEY_FILE, () => randomSecret(32));
  if (cached?.source === source) return cached.ring;
  const ring = parseKeyRing(source);
  cached = { source, ring };
  return ring;
}

/** Associated data naming where a sealed value lives: `<table>.<column>:<row id>`. */
export function secretAad(table: string, column: string, rowId: string): string {
  return `${table}.${column}:${rowId}`;
}

export function sealSecret(plaintext: string, aad: string): string {
  return sealWith(getKeyRing(), plaintext, aad);
}

export function openSecret(envelope: string, aad: string): string {
  return openWith(getKeyRing(), envelope, aad);
}
