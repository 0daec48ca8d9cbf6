// What the deployed-setup project learnt about the deployment, for specs to skip with a reason
// when a part they need is out of reach. Locally every part is there.
import fs from "node:fs";
import { test } from "@playwright/test";
import { DEPLOYED, LOCAL_ONLY, RUN_ID } from "./constants";

export interface DeploymentFacts {
  /** null when the deployment reaches the fixtures; otherwise why not. */
  fixturesUnreachable: string | null;
}

export const FACTS_FILE = `playwright/.auth/deployed-${RUN_ID}-facts.json`;

export function readFacts(): DeploymentFacts {
  if (!DEPLOYED) return { fixturesUnreachable: null };
  try {
    return JSON.parse(fs.readFileSync(FACTS_FILE, "utf8")) as DeploymentFacts;
  } catch {
    return { fixturesUnreachable: "the deployed-setup project did not run" };
  }
}

/** Skips the current test on a deployment, with the stated reason. */
export function localOnly(part: keyof typeof LOCAL_ONLY): void {
  test.skip(DEPLOYED, `local-only: ${LOCAL_ONLY[part]}`);
}

/** Skips the current test when the deployment cannot reach the fake model and MCP servers. */
export function needsFixtures(): void {
  const { fixturesUnreachable } = readFacts();
  test.skip(
    fixturesUnreachable !== null,
    `the deployment cannot reach the suite's fixtures (${fixturesUnreachable}); set ` +
      "E2E_FIXTURE_BIND / E2E_FIXTURE_HOST and add the host to its EGRESS_ALLOWLIST",
  );
}
