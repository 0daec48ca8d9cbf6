import { expect, test } from "@playwright/test";
import { apiPost } from "./support/api";
import { ADMIN_STATE } from "./support/constants";

test.use({ storageState: ADMIN_STATE });

test("an admin sees every workspace with the sandbox status and stops one", async ({ page }) => {
  const name = `admin-view-${Date.now()}`;
  const created = await apiPost<{ id: string; status: string }>(page.request, "/api/workspaces", {
    name,
    template: "empty",
  });
  expect(created.status).toBe("running");

  await page.goto("/admin/workspaces");
  await expect(page.getByRole("heading", { name: "Workspaces", level: 1 })).toBeVisible();
  const sandbox = page.getByRole("region", { name: "Workspace sandbox" });
  await expect(sandbox).toContainText("Every workspace command runs in an OS sandbox");

  const row = page.getByRole("row").filter({ hasText: name });
  await expect(row).toContainText("Running");
  await row.getByRole("button", { name: `Stop workspace ${name}` }).click();
  const dialog = page.getByRole("alertdialog");
  await expect(dialog).toContainText(`Stop “${name}”?`);
  await dialog.getByRole("button", { name: "Stop workspace" }).click();
  await expect(page.getByText(`Stopped “${name}”`)).toBeVisible();
  await expect(row).toContainText("Stopped");
  await expect(row.getByRole("button", { name: `Stop workspace ${name}` })).toHaveCount(0);

  // The reloaded page says the same.
  await page.reload();
  await expect(page.getByRole("row").filter({ hasText: name })).toContainText("Stopped");
});
