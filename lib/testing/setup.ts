import fs from "node:fs";
import os from "node:os";
import path from "node:path";

// Each test worker gets its own DATA_DIR so generated keys never touch a developer's ./.data.
if (!process.env.TOOLGATE_TEST_DATA_DIR) {
  process.env.TOOLGATE_TEST_DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "toolgate-test-"));
}
process.env.DATA_DIR = process.env.TOOLGATE_TEST_DATA_DIR;
process.env.APP_URL = "http://toolgate.test";
delete process.env.AUTH_SECRET;
delete process.env.SECRETS_KEYS;
delete process.env.OIDC_ISSUER;
delete process.env.OIDC_CLIENT_ID;
delete process.env.OIDC_CLIENT_SECRET;
