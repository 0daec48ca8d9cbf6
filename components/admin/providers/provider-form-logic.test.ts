import { describe, expect, it } from "vitest";
import type { ModelProvider } from "@/lib/client/types";
import {
  buildCreateRequest,
  buildUpdateRequest,
  effectiveDefault,
  emptyProviderForm,
  keyWillBeDropped,
  modelDiscoveryFor,
  parseModels,
  providerToForm,
  serverFieldErrors,
  toggleModel,
  withKind,
} from "./provider-form-logic";

const stored: ModelProvider = {
  id: "0b5c1a9e-3f0d-4f7a-9b1e-2a6f1c0d9e8b",
  kind: "openai",
  display_name: "OpenAI",
  base_url: "https://api.openai.com/v1",
  has_api_key: true,
  models: ["gpt-4o", "gpt-4o-mini"],
  default_model: "gpt-4o",
  created_at: "2025-01-01T00:00:00.000Z",
  updated_at: "2025-01-01T00:00:00.000Z",
};

describe("provider form logic", () => {
  it("parses one model per line (commas too), dropping blanks and repeats", () => {
    expect(parseModels(" llama3.1:8b \n\nqwen2.5, mistral\nllama3.1:8b\n")).toEqual([
      "llama3.1:8b",
      "qwen2.5",
      "mistral",
    ]);
  });

  it("builds a create body with the first model as default unless one is picked", () => {
    const values = {
      ...emptyProviderForm(),
      display_name: " Ollama ",
      base_url: "http://localhost:11434/v1",
      models_text: "a\nb",
    };
    expect(buildCreateRequest(values)).toEqual({
      ok: true,
      body: {
        kind: "openai-compatible",
        display_name: "Ollama",
        base_url: "http://localhost:11434/v1",
        models: ["a", "b"],
        default_model: "a",
      },
    });
    const picked = buildCreateRequest({
      ...values,
      default_model: "b",
      api_key: { value: "k", clear: false },
    });
    expect(picked.ok && picked.body).toMatchObject({ default_model: "b", api_key: "k" });
    // A picked default that left the list falls back to the first model.
    expect(effectiveDefault({ ...values, default_model: "gone" })).toBe("a");
  });

  it("reports missing base URL, models and name beside their fields", () => {
    const res = buildCreateRequest(emptyProviderForm());
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(Object.keys(res.errors).sort()).toEqual(["base_url", "display_name", "models"]);
    const bad = buildCreateRequest({
      ...emptyProviderForm(),
      display_name: "X",
      base_url: "ftp://x",
      models_text: "a",
    });
    expect(!bad.ok && bad.errors.base_url).toBe("Base URL must use http or https");
  });

  it("sends only what changed, and the key only when typed or cleared", () => {
    const form = providerToForm(stored);
    expect(form.api_key).toEqual({ value: "", clear: false });
    expect(buildUpdateRequest(form, stored)).toEqual({ ok: true, body: {} });
    expect(
      buildUpdateRequest({ ...form, default_model: "gpt-4o-mini", display_name: "OAI" }, stored),
    ).toEqual({ ok: true, body: { display_name: "OAI", default_model: "gpt-4o-mini" } });
    const cleared = buildUpdateRequest({ ...form, api_key: { value: "", clear: true } }, stored);
    expect(cleared).toEqual({ ok: true, body: { api_key: null } });
    const replaced = buildUpdateRequest({ ...form, api_key: { value: "n", clear: false } }, stored);
    expect(replaced).toEqual({ ok: true, body: { api_key: "n" } });
    const dropped = buildUpdateRequest({ ...form, models_text: "gpt-4o-mini" }, stored);
    expect(dropped).toEqual({
      ok: true,
      body: { models: ["gpt-4o-mini"], default_model: "gpt-4o-mini" },
    });
  });

  it("drops a vendor default URL on a kind switch and warns that the key goes", () => {
    const form = providerToForm(stored);
    const switched = withKind(form, "anthropic");
    expect(switched.base_url).toBe("");
    expect(keyWillBeDropped(switched, stored)).toBe(true);
    expect(keyWillBeDropped({ ...form, base_url: "https://api.openai.com/v2" }, stored)).toBe(
      false,
    );
    expect(keyWillBeDropped({ ...form, base_url: "https://proxy.example.com/v1" }, stored)).toBe(
      true,
    );
    const custom = withKind({ ...form, base_url: "https://proxy.example.com/v1" }, "anthropic");
    expect(custom.base_url).toBe("https://proxy.example.com/v1");
  });

  it("maps server validations onto the form's fields", () => {
    expect(
      serverFieldErrors({
        validations: [
          { field: "models[1]", detail: "must not be empty" },
          { field: "default_model", detail: "must be one of models" },
        ],
      }),
    ).toEqual({
      models: "Models must not be empty",
      default_model: "Default model must be one of models",
    });
  });
});

describe("modelDiscoveryFor", () => {
  it("asks the saved provider while the form points where it did and no key was typed", () => {
    expect(modelDiscoveryFor(providerToForm(stored), stored)).toEqual({
      type: "saved",
      id: stored.id,
    });
    const emptyUrl = { ...providerToForm(stored), base_url: "" };
    expect(modelDiscoveryFor(emptyUrl, stored).type).toBe("saved");
  });

  it("uses the form's values (never the stored key) once host, kind or key change", () => {
    const moved = { ...providerToForm(stored), base_url: "https://proxy.example/v1/" };
    expect(modelDiscoveryFor(moved, stored)).toEqual({
      type: "form",
      body: { kind: "openai", base_url: "https://proxy.example/v1" },
    });
    const typed = { ...providerToForm(stored), api_key: { value: "sk-new", clear: false } };
    expect(modelDiscoveryFor(typed, stored)).toMatchObject({
      type: "form",
      body: { api_key: "sk-new" },
    });
    const cleared = { ...providerToForm(stored), api_key: { value: "", clear: true } };
    expect(modelDiscoveryFor(cleared, stored).type).toBe("form");
    expect(modelDiscoveryFor(withKind(providerToForm(stored), "anthropic"), stored).type).toBe(
      "form",
    );
    expect(modelDiscoveryFor(emptyProviderForm())).toEqual({
      type: "form",
      body: { kind: "openai-compatible" },
    });
  });
});

describe("toggleModel", () => {
  it("adds at the end once and removes every copy", () => {
    expect(toggleModel("a\nb", "c", true)).toBe("a\nb\nc");
    expect(toggleModel("a\nb", "a", true)).toBe("b\na");
    expect(toggleModel("a, b\na", "a", false)).toBe("b");
    expect(toggleModel("", "x", true)).toBe("x");
  });
});
