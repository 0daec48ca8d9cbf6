// Accessibility: axe-core (WCAG 2.x A and AA rules) on the page as it is now, in light and dark
// mode. A serious or critical violation fails the test; the message names each one with its
// rule id, impact and the elements it found, so the report says what to fix where.
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
const SCHEMES = ["light", "dark"] as const;

/** Waits for finite animations (dialog fade-ins, toasts) so colours are measured at rest. */
async function settled(page: Page): Promise<void> {
  await expect
    .poll(() =>
      page.evaluate(
        () =>
          document
            .getAnimations()
            .filter(
              (a) => a.playState === "running" && a.effect?.getTiming().iterations !== Infinity,
            ).length,
      ),
    )
    .toBe(0);
}

/** axe's own sentence for why a node fails ("insufficient color contrast of 3.9 (…)"). */
function whatFails(node: { any: { message: string }[]; all: { message: string }[] }): string {
  return [...node.any, ...node.all].map((check) => check.message).join("; ");
}

/**
 * Checks the page (or only `include`, a CSS selector) in both colour schemes. The app follows
 * the system theme by default, so emulating the media query switches it like a user's OS would.
 */
export async function expectAccessible(
  page: Page,
  label: string,
  options: { include?: string } = {},
): Promise<void> {
  try {
    for (const scheme of SCHEMES) {
      await page.emulateMedia({ colorScheme: scheme });
      const html = page.locator("html");
      if (scheme === "dark") await expect(html).toHaveClass(/\bdark\b/);
      else await expect(html).not.toHaveClass(/\bdark\b/);
      // The same state every run: no hover effect from wherever the last click left the mouse.
      await page.mouse.move(0, 0);
      await settled(page);
      // While a modal layer (dialog, menu, select) is open, Radix marks everything else
      // aria-hidden and keeps focus inside the layer: that background is inert, not a page a
      // user can reach, so it is left out (else axe reports aria-hidden-focus on it).
      let builder = new AxeBuilder({ page }).withTags(TAGS).exclude('[data-aria-hidden="true"]');
      if (options.include) builder = builder.include(options.include);
      const { violations } = await builder.analyze();
      const found = violations
        .filter((v) => v.impact === "serious" || v.impact === "critical")
        .map(
          (v) =>
            `${v.id} (${v.impact}): ${v.help} (${v.helpUrl}); at ${v.nodes
              .map((n) => `${n.target.join(" ")} ${n.html.slice(0, 160)} ${whatFails(n)}`)
              .join(" | ")}`,
        );
      // Soft: the journey goes on, so one run reports every page's violations; the test still
      // fails at its end.
      expect.soft(found, `${label} in ${scheme} mode has accessibility violations`).toEqual([]);
    }
  } finally {
    await page.emulateMedia({ colorScheme: null });
  }
}
