import { createHash } from "node:crypto";

export interface SecretKey {
  /** Short stable id derived from the key material, stored beside every ciphertext. */
  id: string;
  key: Buffer;
}

/** Newest key first: it encrypts; every key in the ring can decrypt. */
export interface KeyRing {
  primary: SecretKey;
  keys: ReadonlyMap<string, SecretKey>;
}

export class KeyRingError extends Error {
  override name = "KeyRingError";
}

export function keyIdOf(key: Buffer): string {
  // A hash prefix, so the id reveals nothing about the key and needs no separate naming.
  return createHash("sha256").update("toolgate-key-id:").update(key).digest("hex").slice(0, 12);
}

/** Parses `SECRETS_KEYS`: comma-separated base64 32-byte keys, newest first. */
export function parseKeyRing(value: string): KeyRing {
  const entries = value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new KeyRingError("SECRETS_KEYS holds no key");
  const keys = new Map<string, SecretKey>();
  const ordered: SecretKey[] = [];
  entries.forEach((entry, index) => {
    if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(entry)) {
      throw new KeyRingError(`SECRETS_KEYS entry ${index + 1} is not base64`);
    }
    const key = Buffer.from(entry, "base64");
    if (key.length !== 32) {
      throw new KeyRingError(
        `SECRETS_KEYS entry ${index + 1} decodes to ${key.length} bytes; AES-256 needs 32`,
      );
    }
    const id = keyIdOf(key);
    if (keys.has(id)) throw new KeyRingError(`SECRETS_KEYS entry ${index + 1} repeats a key`);
    const secretKey = { id, key };
    keys.set(id, secretKey);
    ordered.push(secretKey);
  });
  return { primary: ordered[0]!, keys };
}
