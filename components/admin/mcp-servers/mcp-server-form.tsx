"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { RefreshCwIcon } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { toast } from "@/components/ui/toast";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ButtonSpinner } from "@/components/ui/spinner";
import { UnsavedChangesGuard } from "@/components/unsaved-changes-guard";
import { ApiRequestError, errorMessage } from "@/lib/client/api";
import {
  createMcpServerMutation,
  mcpServerQuery,
  updateMcpServerMutation,
} from "@/lib/client/mcp-queries";
import type { McpServerConfig } from "@/lib/client/types";
import { AuthSection } from "./auth-section";
import { BehaviorSection, PlanModeSection } from "./behavior-sections";
import { ConnectionSection, IdentitySection } from "./identity-connection-sections";
import {
  configToForm,
  emptyForm,
  isDirty,
  type FieldErrors,
  type McpServerFormValues,
} from "./mcp-server-form-logic";
import {
  buildCreateRequest,
  buildUpdateRequest,
  isOauth2DiscoveryProblem,
  serverFieldErrors,
  willDiscoverOauth2,
} from "./mcp-server-form-validation";

/**
 * The one form for adding and editing a server. Editing keeps its own copy of the saved
 * config (`base`): a background refetch must never overwrite what the admin is typing.
 */
export function McpServerForm({
  original,
  onDirtyChange,
}: {
  original?: McpServerConfig;
  onDirtyChange?: (dirty: boolean) => void;
}) {
  const qc = useQueryClient();
  const router = useRouter();
  const [base, setBase] = useState(original);
  const [values, setValues] = useState<McpServerFormValues>(() =>
    original ? configToForm(original) : emptyForm(),
  );
  const [errors, setErrors] = useState<FieldErrors>({});
  const [conflict, setConflict] = useState(false);
  const [reloading, setReloading] = useState(false);
  // Set once a create succeeded: the button stays busy until the edit page replaces this one.
  const [created, setCreated] = useState(false);
  // The save runs OAuth2 discovery and registration on the server: up to 30 s.
  const [discovering, setDiscovering] = useState(false);
  const create = useMutation(createMcpServerMutation(qc));
  const update = useMutation(updateMcpServerMutation(qc));
  const formRef = useRef<HTMLFormElement>(null);
  const focusInvalid = useRef(false);
  const saving = create.isPending || update.isPending || created;
  const dirty = base ? isDirty(values, base) : false;

  useEffect(() => onDirtyChange?.(dirty), [dirty, onDirtyChange]);

  useEffect(() => {
    if (!focusInvalid.current) return;
    focusInvalid.current = false;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [errors]);

  function showErrors(next: FieldErrors) {
    focusInvalid.current = Object.keys(next).length > 0;
    setErrors(next);
  }

  function onServerError(err: Error) {
    if (err instanceof ApiRequestError) {
      if (err.code === "mcp_server.version_conflict") return setConflict(true);
      showErrors(serverFieldErrors(err));
    }
  }

  function reset(config: McpServerConfig) {
    setBase(config);
    setValues(configToForm(config));
    setErrors({});
    setConflict(false);
    update.reset();
  }

  async function reload() {
    if (!base) return;
    setReloading(true);
    try {
      reset(await qc.fetchQuery({ ...mcpServerQuery(base.id), staleTime: 0 }));
    } catch (err) {
      toast.error(errorMessage(err));
    } finally {
      setReloading(false);
    }
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (saving) return;
    if (!base) {
      const request = buildCreateRequest(values);
      if (!request.ok) return showErrors(request.errors);
      showErrors({});
      setDiscovering(willDiscoverOauth2(values));
      create.mutate(request.body, {
        onSettled: () => setDiscovering(false),
        onSuccess: (config) => {
          setCreated(true);
          toast.success(`Added “${config.display_name}”. Test the connection, then enable it.`);
          router.push(`/admin/mcp-servers/${config.id}`);
        },
        onError: onServerError,
      });
      return;
    }
    const request = buildUpdateRequest(values, base);
    if (!request.ok) return showErrors(request.errors);
    showErrors({});
    if (Object.keys(request.body).length === 0) {
      toast.info("No changes to save");
      return;
    }
    setDiscovering(willDiscoverOauth2(values));
    update.mutate(
      { id: base.id, patch: request.body, version: base.version },
      {
        onSettled: () => setDiscovering(false),
        onSuccess: (config) => {
          reset(config);
          toast.success("Saved");
        },
        onError: onServerError,
      },
    );
  }

  const mutationError = base ? update.error : create.error;
  const alertError =
    mutationError &&
    !conflict &&
    !(
      mutationError instanceof ApiRequestError &&
      Object.keys(serverFieldErrors(mutationError)).length > 0 &&
      // Beside the URL there is room for the step only; the alert names the URL and problem.
      !isOauth2DiscoveryProblem(mutationError)
    )
      ? mutationError
      : null;
  const hasFieldErrors = Object.keys(errors).length > 0;
  const sectionProps = { values, update: setValues, errors, original: base };

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate className="flex flex-col gap-6">
      <UnsavedChangesGuard when={dirty} />
      <IdentitySection {...sectionProps} />
      <ConnectionSection {...sectionProps} />
      <AuthSection {...sectionProps} />
      <BehaviorSection {...sectionProps} />
      <PlanModeSection {...sectionProps} />

      <div className="sticky bottom-0 z-10 -mx-1 flex flex-col gap-3 border-t bg-background/95 px-1 py-4 backdrop-blur supports-[backdrop-filter]:bg-background/80">
        {conflict ? (
          <Alert variant="destructive">
            <AlertTitle>Someone else changed this server</AlertTitle>
            <AlertDescription>
              <p>
                It was saved by another admin after you opened it. Reload to see their version; your
                unsaved changes here will be lost.
              </p>
              <Button
                type="button"
                variant="outline"
                size="sm"
                onClick={() => void reload()}
                disabled={reloading}
                aria-busy={reloading}
              >
                {reloading ? <ButtonSpinner /> : <RefreshCwIcon aria-hidden="true" />}
                Reload
              </Button>
            </AlertDescription>
          </Alert>
        ) : null}
        {alertError ? (
          <Alert variant="destructive">
            <AlertTitle>Could not save</AlertTitle>
            <AlertDescription>{errorMessage(alertError)}</AlertDescription>
          </Alert>
        ) : null}
        <div className="flex flex-wrap items-center justify-end gap-3">
          {discovering && saving ? (
            <p
              role="status"
              className="mr-auto flex items-center gap-2 text-sm text-muted-foreground"
            >
              <ButtonSpinner />
              Discovering the authorization server and registering toolgate… This can take up to 30
              seconds.
            </p>
          ) : hasFieldErrors ? (
            <p className="mr-auto text-sm font-medium text-destructive">
              Some fields need attention.
            </p>
          ) : dirty ? (
            <p className="mr-auto text-sm text-muted-foreground">You have unsaved changes.</p>
          ) : null}
          <Button variant="outline" asChild>
            <Link href="/admin/mcp-servers">{base ? "Back to list" : "Cancel"}</Link>
          </Button>
          <Button type="submit" disabled={saving} aria-busy={saving}>
            {saving ? <ButtonSpinner /> : null}
            {base ? "Save changes" : "Create server"}
          </Button>
        </div>
      </div>
    </form>
  );
}
