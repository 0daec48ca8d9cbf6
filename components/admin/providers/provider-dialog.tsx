"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { toast } from "@/components/ui/toast";
import { SecretInput } from "@/components/admin/mcp-servers/secret-input";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import {
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from "@/components/ui/select";
import { ButtonSpinner } from "@/components/ui/spinner";
import { Textarea } from "@/components/ui/textarea";
import { ApiRequestError, errorMessage } from "@/lib/client/api";
import { createProviderMutation, updateProviderMutation } from "@/lib/client/provider-queries";
import type { ModelProvider } from "@/lib/client/types";
import { MODEL_PROVIDER_KINDS, type ModelProviderKind } from "@/lib/schemas/model-providers";
import {
  BASE_URL_PLACEHOLDERS,
  buildCreateRequest,
  buildUpdateRequest,
  effectiveDefault,
  emptyProviderForm,
  KIND_LABELS,
  keyWillBeDropped,
  modelDiscoveryFor,
  parseModels,
  providerToForm,
  serverFieldErrors,
  toggleModel,
  withKind,
  type FieldErrors,
  type ProviderFormValues,
} from "./provider-form-logic";
import { ProviderModelsPicker } from "./provider-models-picker";

const BASE_URL_HELP: Record<ModelProviderKind, string> = {
  "openai-compatible":
    "Any OpenAI-compatible server: Ollama, vLLM, LM Studio… Local addresses are allowed.",
  openai: `Leave empty for ${BASE_URL_PLACEHOLDERS.openai}, or point it at a proxy.`,
  anthropic: `Leave empty for ${BASE_URL_PLACEHOLDERS.anthropic}, or point it at a proxy.`,
};

/**
 * Create (no `provider`) or edit a provider. Controlled, so the list can open it from a row.
 * The form mounts with the dialog's content, so each opening starts from fresh values.
 */
export function ProviderDialog({
  provider,
  open,
  onOpenChange,
}: {
  provider?: ModelProvider;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="max-h-[90vh] overflow-y-auto sm:max-w-lg">
        <ProviderForm provider={provider} onDone={() => onOpenChange(false)} />
      </DialogContent>
    </Dialog>
  );
}

function ProviderForm({ provider, onDone }: { provider?: ModelProvider; onDone: () => void }) {
  const qc = useQueryClient();
  const create = useMutation(createProviderMutation(qc));
  const update = useMutation(updateProviderMutation(qc));
  const [values, setValues] = useState<ProviderFormValues>(() =>
    provider ? providerToForm(provider) : emptyProviderForm(),
  );
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const pending = create.isPending || update.isPending;
  const models = parseModels(values.models_text);
  const defaultModel = effectiveDefault(values);
  const set = (patch: Partial<ProviderFormValues>) => setValues((v) => ({ ...v, ...patch }));

  const onError = (err: unknown) => {
    const fields =
      err instanceof ApiRequestError && err.validations.length > 0 ? serverFieldErrors(err) : {};
    setErrors(fields);
    setFormError(Object.keys(fields).length > 0 ? null : errorMessage(err));
  };

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setFormError(null);
    if (!provider) {
      const built = buildCreateRequest(values);
      if (!built.ok) return setErrors(built.errors);
      setErrors({});
      create.mutate(built.body, {
        onSuccess: (created) => {
          toast.success(`Added “${created.display_name}”`);
          onDone();
        },
        onError,
      });
      return;
    }
    const built = buildUpdateRequest(values, provider);
    if (!built.ok) return setErrors(built.errors);
    setErrors({});
    if (Object.keys(built.body).length === 0) {
      onDone();
      return;
    }
    update.mutate(
      { id: provider.id, patch: built.body },
      {
        onSuccess: (saved) => {
          toast.success(`Saved “${saved.display_name}”`);
          onDone();
        },
        onError,
      },
    );
  }

  const hasStoredKey = Boolean(provider?.has_api_key);
  const dropsKey = provider ? keyWillBeDropped(values, provider) : false;

  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate>
      <DialogHeader>
        <DialogTitle>
          {provider ? `Edit “${provider.display_name}”` : "Add model provider"}
        </DialogTitle>
        <DialogDescription>
          Chats can use every model listed here. The API key is stored encrypted and never shown
          again.
        </DialogDescription>
      </DialogHeader>
      {formError ? (
        <Alert variant="destructive" role="alert">
          <AlertDescription>{formError}</AlertDescription>
        </Alert>
      ) : null}
      <FormField label="Kind" error={errors.kind}>
        {(control) => (
          <Select
            value={values.kind}
            onValueChange={(kind) => setValues((v) => withKind(v, kind as ModelProviderKind))}
          >
            <SelectTrigger {...control} className="w-full">
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              {MODEL_PROVIDER_KINDS.map((kind) => (
                <SelectItem key={kind} value={kind}>
                  {KIND_LABELS[kind]}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
        )}
      </FormField>
      <FormField label="Display name" error={errors.display_name} required>
        <Input
          value={values.display_name}
          onChange={(e) => set({ display_name: e.target.value })}
          placeholder={KIND_LABELS[values.kind]}
          autoComplete="off"
          autoFocus
        />
      </FormField>
      <FormField
        label="Base URL"
        description={BASE_URL_HELP[values.kind]}
        error={errors.base_url}
        required={values.kind === "openai-compatible"}
      >
        <Input
          type="url"
          value={values.base_url}
          onChange={(e) => set({ base_url: e.target.value })}
          placeholder={BASE_URL_PLACEHOLDERS[values.kind]}
          autoComplete="off"
          spellCheck={false}
        />
      </FormField>
      <FormField
        label="API key"
        description={
          dropsKey
            ? "The stored key is removed because the host or kind changes: type it again to keep using one."
            : values.kind === "openai-compatible"
              ? "Optional: local servers such as Ollama need none."
              : "Write-only: it is never shown again."
        }
        error={errors.api_key}
      >
        {(control) => (
          <SecretInput
            control={control}
            value={values.api_key}
            hasStored={hasStoredKey}
            secretName="API key"
            placeholder={values.kind === "openai-compatible" ? "Optional" : "sk-…"}
            onChange={(api_key) => set({ api_key })}
          />
        )}
      </FormField>
      <FormField
        label="Models"
        description="One model name per line, as the server names it (e.g. llama3.1:8b)."
        error={errors.models}
        required
      >
        <Textarea
          value={values.models_text}
          onChange={(e) => set({ models_text: e.target.value })}
          placeholder={"llama3.1:8b\nqwen2.5:7b"}
          rows={4}
          autoComplete="off"
          spellCheck={false}
          className="font-mono"
        />
      </FormField>
      <ProviderModelsPicker
        discovery={modelDiscoveryFor(values, provider)}
        selected={models}
        onToggle={(model, on) =>
          setValues((v) => ({ ...v, models_text: toggleModel(v.models_text, model, on) }))
        }
      />
      <FormField
        label="Default model"
        description="Used when a chat does not pick one. The oldest provider's default is everyone's default."
        error={errors.default_model}
      >
        {(control) => (
          <Select
            value={defaultModel}
            onValueChange={(default_model) => set({ default_model })}
            disabled={models.length === 0}
          >
            <SelectTrigger {...control} className="w-full">
              <SelectValue placeholder="Add a model first" />
            </SelectTrigger>
            <SelectContent>
              {models.map((model) => (
                <SelectItem key={model} value={model}>
                  {model}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
        )}
      </FormField>
      <DialogFooter>
        <Button type="button" variant="outline" onClick={onDone} disabled={pending}>
          Cancel
        </Button>
        <Button type="submit" disabled={pending} aria-busy={pending}>
          {pending ? <ButtonSpinner /> : null}
          {provider ? "Save changes" : "Add provider"}
        </Button>
      </DialogFooter>
    </form>
  );
}
