import "server-only";

import { createHash, randomBytes } from "node:crypto";

/** RFC 7636 §4.1: 32 random octets, base64url → a 43-character verifier. */
export function createCodeVerifier(): string {
  return randomBytes(32).toString("base64url");
}

/** RFC 7636 §4.2, S256: BASE64URL(SHA256(ASCII(code_verifier))). Never "plain". */
export function codeChallengeS256(verifier: string): string {
  return createHash("sha256").update(verifier, "ascii").digest("base64url");
}

/** An unguessable `state` (RFC 6749 §10.12, RFC 9700 §4.7.1). */
export function createState(): string {
  return randomBytes(32).toString("base64url");
}

/** What is stored instead of `state`: a database read must not let anyone finish a flow. */
export function hashState(state: string): string {
  return createHash("sha256").update(state, "utf8").digest("hex");
}
