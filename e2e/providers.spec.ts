import { expect, test } from "@playwright/test";
import { ADMIN_STATE } from "./support/constants";

test.use({ storageState: ADMIN_STATE });

test("adds, edits and deletes a model provider without the key reaching the page", async ({
  page,
}) => {
  const stamp = Date.now();
  const name = `E2E Ollama ${stamp}`;
  const secret = `sk-e2e-provider-${stamp}-do-not-leak`;

  await page.goto("/admin/providers");
  await expect(page.getByRole("heading", { name: "Model providers", level: 1 })).toBeVisible();
  await expect(page.getByRole("link", { name: "Model providers" })).toHaveAttribute(
    "aria-current",
    "page",
  );
  // The empty state or the page header offers it, depending on what other specs created.
  await page.getByRole("button", { name: "Add provider" }).first().click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByRole("combobox", { name: "Kind" })).toHaveText(/OpenAI-compatible/);
  await expect(dialog.getByText("Any OpenAI-compatible server: Ollama, vLLM")).toBeVisible();

  // Client-side checks use the route's own schema before anything is sent.
  await dialog.getByRole("button", { name: "Add provider" }).click();
  await expect(
    dialog.getByText("Base URL is required for an OpenAI-compatible provider"),
  ).toBeVisible();
  await expect(dialog.getByText("Add at least one model")).toBeVisible();

  await dialog.getByLabel("Display name").fill(name);
  // A local server is fine here: admins configure providers, no egress guard applies.
  await dialog.getByLabel("Base URL").fill("http://localhost:11434/v1");
  await dialog.getByLabel("API key", { exact: true }).fill(secret);
  await dialog.getByLabel("Models").fill("llama3.1:8b\nqwen2.5:7b");
  await expect(dialog.getByRole("combobox", { name: "Default model" })).toHaveText("llama3.1:8b");
  await dialog.getByRole("button", { name: "Add provider" }).click();
  await expect(page.getByText(`Added “${name}”`)).toBeVisible();
  await expect(dialog).toBeHidden();

  const row = page
    .getByRole("table", { name: "Model providers" })
    .getByRole("row")
    .filter({ hasText: name });
  const modelBadges = row.getByRole("list", { name: `Models of ${name}` }).getByRole("listitem");
  await expect(row).toContainText("OpenAI-compatible");
  await expect(row).toContainText("http://localhost:11434/v1");
  await expect(modelBadges).toHaveText(["llama3.1:8b (default)", "qwen2.5:7b"]);
  await expect(row.getByRole("cell", { name: "Set", exact: true })).toBeVisible();

  // After a reload the key is nowhere: not in the HTML, not in the API the page reads.
  await page.reload();
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
  await row.getByRole("button", { name: `Edit ${name}` }).click();
  const edit = page.getByRole("dialog");
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

  await row.getByRole("button", { name: `Delete ${name}` }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Delete provider" }).click();
  // While the dialog is open the page behind it is aria-hidden, so wait for the outcome itself.
  await expect(page.getByText(`Deleted “${name}”`)).toBeVisible();
  await expect(page.getByRole("alertdialog")).toBeHidden();
  await expect(row).toHaveCount(0);
  const gone = await page.request.get(`/api/model-providers/${provider.id}`);
  expect(gone.status()).toBe(404);
});
