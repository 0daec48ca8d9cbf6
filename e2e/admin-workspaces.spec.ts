import { expect, test } from "@playwright/test";
import { AdminWorkspacesPage } from "./pages/workspaces-page";
import { apiPost } from "./support/api";
import { ADMIN_STATE } from "./support/constants";
import { unique } from "./support/names";
import { reload } from "./support/hydration";

test.use({ storageState: ADMIN_STATE });

test("an admin sees every workspace with the sandbox status and stops one", async ({ page }) => {
  const name = unique("ws");
  const created = await apiPost<{ id: string; status: string }>(page.request, "/api/workspaces", {
    name,
    template: "empty",
  });
  expect(created.status).toBe("running");

  const workspaces = new AdminWorkspacesPage(page);
  await workspaces.goto();
  await expect(workspaces.sandbox).toContainText("Every workspace command runs in an OS sandbox");

  await expect(workspaces.row(name)).toContainText("Running");
  await workspaces.stop(name);
  await expect(workspaces.row(name)).toContainText("Stopped");
  await expect(workspaces.stopButton(name)).toHaveCount(0);

  // The reloaded page says the same.
  await reload(page);
  await expect(workspaces.row(name)).toContainText("Stopped");
});
