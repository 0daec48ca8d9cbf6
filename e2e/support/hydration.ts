import type { Page } from "@playwright/test";

/**
 * Waits until React has hydrated the page (components/providers.tsx marks <html>). Pages are
 * rendered on the server with their data, so they show before they respond: a click or
 * typing before this point is lost.
 */
export async function hydrated(page: Page): Promise<void> {
  await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
}

/** Opens `path` and waits until it responds. */
export async function visit(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await hydrated(page);
}

/** Reloads the page and waits until it responds. */
export async function reload(page: Page): Promise<void> {
  await page.reload();
  await hydrated(page);
}

// How React reports server HTML it had to throw away (production builds name the error's number).
const MISMATCH = /hydrat|Minified React error #(418|419|421|422|423|425)\b/i;

/** Collects, from now on, every report of a hydration mismatch on `page`. */
export function hydrationErrors(page: Page): string[] {
  const found: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error" && MISMATCH.test(msg.text())) found.push(msg.text());
  });
  page.on("pageerror", (err) => {
    if (MISMATCH.test(err.message)) found.push(err.message);
  });
  return found;
}
