import { expect, test } from "@playwright/test";
import { ADMIN_STATE } from "./support/constants";

test.use({ storageState: ADMIN_STATE });

// Screenshots of the everyday pages at desktop and phone width, kept as test artefacts for a
// person to look at; each page must render its heading, and every page carries the favicon.
const PAGES = [
  { path: "/chat", heading: "New chat" },
  { path: "/admin/mcp-servers", heading: "MCP servers" },
  { path: "/admin/users", heading: "Users" },
  { path: "/admin/providers", heading: "Model providers" },
  { path: "/settings", heading: "Settings" },
];

const WIDTHS = [
  { name: "1280", width: 1280, height: 800 },
  { name: "390", width: 390, height: 844 },
];

for (const { name, width, height } of WIDTHS) {
  test(`the main pages at ${name} px, with a favicon`, async ({ page }, testInfo) => {
    await page.setViewportSize({ width, height });
    for (const { path, heading } of PAGES) {
      await page.goto(path);
      await expect(page.getByRole("heading", { name: heading, level: 1 })).toBeVisible();
      const icon = page.locator('head link[rel="icon"]').first();
      const href = await icon.getAttribute("href");
      expect(href, `${path} has an icon link`).toBeTruthy();
      const res = await page.request.get(href!);
      expect(res.status()).toBe(200);
      expect(res.headers()["content-type"]).toContain("image/svg+xml");
      await testInfo.attach(`${path.slice(1).replaceAll("/", "-")}-${name}`, {
        body: await page.screenshot(),
        contentType: "image/png",
      });
    }
  });
}
