import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { KeyRingError, type KeyRing } from "./keyring";

/**
 * Envelope: `v1.<key id>.<base64url(iv | ciphertext | tag)>`. The key id travels with the
 * ciphertext so a ring with several keys knows which one opens it, and rotation can find
 * rows still sealed with an old key.
 */
const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SecretDecryptError extends Error {
  override name = "SecretDecryptError";
}

export function sealWith(ring: KeyRing, plaintext: string, aad: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", ring.primary.key, iv);
  // Associated data binds the ciphertext to its row and column: a value copied into another
  // row (or column) fails to open instead of silently decrypting there.
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const packed = Buffer.concat([iv, body, cipher.getAuthTag()]);
  return `${VERSION}.${ring.primary.id}.${packed.toString("base64url")}`;
}

export function envelopeKeyId(envelope: string): string {
  const [version, keyId] = envelope.split(".", 3);
  if (version !== VERSION || !keyId) throw new SecretDecryptError("not a sealed secret");
  return keyId;
}

export function openWith(ring: KeyRing, envelope: string, aad: string): string {
  const parts = envelope.split(".");
  if (parts.length !== 3 || parts[0] !== VERSION) {
    throw new SecretDecryptError("not a sealed secret");
  }
  const key = ring.keys.get(parts[1]!);
  if (!key) {
    throw new KeyRingError(`secret sealed with key ${parts[1]} which SECRETS_KEYS does not hold`);
  }
  const packed = Buffer.from(parts[2]!, "base64url");
  if (packed.length < IV_BYTES + TAG_BYTES)
    throw new SecretDecryptError("sealed secret is truncated");
  const iv = packed.subarray(0, IV_BYTES);
  const tag = packed.subarray(packed.length - TAG_BYTES);
  const body = packed.subarray(IV_BYTES, packed.length - TAG_BYTES);
  try {
    const decipher = createDecipheriv("aes-256-gcm", key.key, iv);
    decipher.setAAD(Buffer.from(aad, "utf8"));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8");
  } catch {
    throw new SecretDecryptError("sealed secret failed authentication (wrong row or tampered)");
  }
}
