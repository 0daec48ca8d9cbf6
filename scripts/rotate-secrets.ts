// Re-seals every stored secret with the newest key of SECRETS_KEYS.
// Usage: put the new key first in SECRETS_KEYS (keep the old one after it), restart the app,
// run `npm run secrets:rotate`, then remove the old key. With the embedded database, stop the
// app first: PGlite allows one process per data directory.
import { rotateSecrets } from "@/lib/crypto/rotate";
import { getKeyRing } from "@/lib/crypto/secrets";
import { getDbHandle } from "@/lib/server/database";

const handle = await getDbHandle();
try {
  const ring = getKeyRing();
  const report = await rotateSecrets(handle.db, ring);
  for (const [column, n] of Object.entries(report.resealed)) console.log(`  ${column}: ${n}`);
  console.log(`Re-sealed ${report.total} secret(s) with key ${ring.primary.id}.`);
  if (ring.keys.size > 1) console.log("Older keys can now be removed from SECRETS_KEYS.");
} finally {
  await handle.close();
}
