import { expect, test } from "@playwright/test";
import { AppShell } from "./pages/app-shell";
import { ProvidersPage } from "./pages/providers-page";
import { ADMIN_STATE } from "./support/constants";
import { unique } from "./support/names";
import { reload } from "./support/hydration";

test.use({ storageState: ADMIN_STATE });

test("adds, edits and deletes a model provider without the key reaching the page", async ({
  page,
}) => {
  const name = unique("ollama");
  const secret = `sk-${name}-do-not-leak`;
  const providers = new ProvidersPage(page);

  await providers.goto();
  await expect(new AppShell(page).navLink("Model providers")).toHaveAttribute(
    "aria-current",
    "page",
  );
  const dialog = await providers.openAdd();
  await expect(dialog.getByRole("combobox", { name: "Kind" })).toHaveText(/OpenAI-compatible/);
  await expect(dialog.getByText("Any OpenAI-compatible server: Ollama, vLLM")).toBeVisible();

  // Client-side checks use the route's own schema before anything is sent.
  await dialog.getByRole("button", { name: "Add provider" }).click();
  await expect(
    dialog.getByText("Base URL is required for an OpenAI-compatible provider"),
  ).toBeVisible();
  await expect(dialog.getByText("Add at least one model")).toBeVisible();
  await providers.expectAccessible("The Add provider dialog with errors");

  await dialog.getByLabel("Display name").fill(name);
  // A local server is fine here: admins configure providers, no egress guard applies.
  await dialog.getByLabel("Base URL").fill("http://localhost:11434/v1");
  await dialog.getByLabel("API key", { exact: true }).fill(secret);
  await dialog.getByLabel("Models").fill("llama3.1:8b\nqwen2.5:7b");
  await expect(dialog.getByRole("combobox", { name: "Default model" })).toHaveText("llama3.1:8b");
  await dialog.getByRole("button", { name: "Add provider" }).click();
  await expect(page.getByText(`Added “${name}”`)).toBeVisible();
  await expect(dialog).toBeHidden();

  const row = providers.row(name);
  const modelBadges = providers.modelBadges(name);
  await expect(row).toContainText("OpenAI-compatible");
  await expect(row).toContainText("http://localhost:11434/v1");
  await expect(modelBadges).toHaveText(["llama3.1:8b (default)", "qwen2.5:7b"]);
  await expect(row.getByRole("cell", { name: "Set", exact: true })).toBeVisible();
  await providers.expectAccessible();

  // After a reload the key is nowhere: not in the HTML, not in the API the page reads.
  await reload(page);
  await expect(modelBadges).toHaveText(["llama3.1:8b (default)", "qwen2.5:7b"]);
  expect(await page.content()).not.toContain(secret);
  const list = await page.request.get("/api/model-providers");
  const listText = await list.text();
  expect(listText).not.toContain(secret);
  const provider = (JSON.parse(listText) as { id: string; display_name: string }[]).find(
    (p) => p.display_name === name,
  )!;
  expect(provider).toMatchObject({ has_api_key: true, default_model: "llama3.1:8b" });
  const models = (await (await page.request.get("/api/models")).json()) as { id: string }[];
  expect(models.map((m) => m.id)).toContain(`${provider.id}:llama3.1:8b`);

  // Editing: the key field starts empty with a "stored" placeholder; change the default.
  const edit = await providers.openEdit(name);
  await expect(edit.getByLabel("API key", { exact: true })).toHaveValue("");
  await expect(edit.getByLabel("API key", { exact: true })).toHaveAttribute(
    "placeholder",
    /stored — type to replace/,
  );
  await expect(edit.getByRole("button", { name: "Clear stored API key" })).toBeVisible();
  await expect(edit.getByLabel("Models")).toHaveValue("llama3.1:8b\nqwen2.5:7b");
  await edit.getByRole("combobox", { name: "Default model" }).click();
  await page.getByRole("option", { name: "qwen2.5:7b" }).click();
  await edit.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText(`Saved “${name}”`)).toBeVisible();
  await expect(edit).toBeHidden();
  await expect(modelBadges).toHaveText(["llama3.1:8b", "qwen2.5:7b (default)"]);
  // The untouched key is kept.
  await expect(row.getByRole("cell", { name: "Set", exact: true })).toBeVisible();

  await providers.delete(name);
  await expect(row).toHaveCount(0);
  const gone = await page.request.get(`/api/model-providers/${provider.id}`);
  expect(gone.status()).toBe(404);
});
