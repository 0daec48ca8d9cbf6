"use client";

import { InfoIcon, PlusIcon, Trash2Icon } from "lucide-react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import {
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from "@/components/ui/select";
import { AUTH_TYPES, type AuthType } from "@/lib/schemas/mcp-servers";
import { AUTH_TYPE_LABELS } from "./mcp-server-labels";
import {
  newHeaderRow,
  type HeaderRow,
  type McpServerFormValues,
  type SectionProps,
} from "./mcp-server-form-logic";
import { errorFor, headerRowError } from "./mcp-server-form-validation";
import { SecretInput, STORED_PLACEHOLDER } from "./secret-input";

type TextKey = "oauth2_client_id" | "oauth2_auth_url" | "oauth2_token_url" | "oauth2_scopes";

export function AuthSection(props: SectionProps) {
  const { values, update, errors, original } = props;
  const switched = original !== undefined && original.auth_type !== values.auth_type;
  return (
    <Card>
      <CardHeader>
        <CardTitle asChild>
          <h2>Authentication</h2>
        </CardTitle>
        <CardDescription>
          How toolgate proves itself to the server. Secrets are write-only: they are stored
          encrypted and never shown again.
        </CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-5">
        <FormField
          label="Authentication type"
          error={errorFor(errors, "auth_type")}
          description={
            switched
              ? "Saving a new type removes the old type's settings and every user's stored sign-in for this server."
              : undefined
          }
        >
          {(control) => (
            <Select
              value={values.auth_type}
              onValueChange={(t) =>
                update((v) => ({
                  ...v,
                  auth_type: t as AuthType,
                  // Start the header list with one empty row rather than an empty box.
                  custom_headers:
                    t === "custom_headers" && v.custom_headers.length === 0
                      ? [newHeaderRow()]
                      : v.custom_headers,
                }))
              }
            >
              <SelectTrigger {...control} className="w-full sm:w-72">
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                {AUTH_TYPES.map((t) => (
                  <SelectItem key={t} value={t}>
                    {AUTH_TYPE_LABELS[t]}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
          )}
        </FormField>
        {values.auth_type === "oauth2" ? <OAuth2Fields {...props} /> : null}
        {values.auth_type === "api_key" ? <ApiKeyFields {...props} /> : null}
        {values.auth_type === "custom_headers" ? <CustomHeaderFields {...props} /> : null}
        {values.auth_type === "user_oidc" ? (
          <Alert role={undefined}>
            <InfoIcon aria-hidden="true" />
            <AlertTitle>Each user&apos;s own identity</AlertTitle>
            <AlertDescription>
              <p>
                toolgate forwards the signed-in user&apos;s own OIDC access token as{" "}
                <code className="text-xs">Authorization: Bearer &lt;token&gt;</code>. There is
                nothing to configure here.
              </p>
              <p>
                Users who signed in with a password have no such token and cannot use this server.
              </p>
            </AlertDescription>
          </Alert>
        ) : null}
      </CardContent>
    </Card>
  );
}

/** Same auth type as saved: only then can a stored secret be kept. */
const sameType = (values: McpServerFormValues, original: SectionProps["original"]) =>
  original !== undefined && original.auth_type === values.auth_type;

function OAuth2Fields({ values, update, errors, original }: SectionProps) {
  const text = (key: TextKey, label: string, placeholder: string, description?: string) => (
    <FormField label={label} description={description} error={errorFor(errors, key)}>
      <Input
        value={values[key]}
        autoComplete="off"
        spellCheck={false}
        placeholder={placeholder}
        onChange={(e) => {
          const next = e.target.value;
          update((v) => ({ ...v, [key]: next }));
        }}
      />
    </FormField>
  );
  return (
    <div className="flex flex-col gap-5 rounded-lg border bg-muted/30 p-4">
      <p className="text-sm text-muted-foreground">
        Leave all empty to discover the authorization server and register automatically. Each user
        then connects their own account the first time a chat uses the server.
      </p>
      <div className="grid gap-5 sm:grid-cols-2">
        {text("oauth2_client_id", "Client ID", "Discovered automatically when empty")}
        <FormField label="Client secret" error={errorFor(errors, "oauth2_client_secret")}>
          {(control) => (
            <SecretInput
              control={control}
              value={values.oauth2_client_secret}
              hasStored={sameType(values, original) && Boolean(original?.has_oauth2_secret)}
              secretName="client secret"
              placeholder="Optional for public clients"
              onChange={(oauth2_client_secret) => update((v) => ({ ...v, oauth2_client_secret }))}
            />
          )}
        </FormField>
        {text("oauth2_auth_url", "Authorization URL", "https://auth.example.com/authorize")}
        {text("oauth2_token_url", "Token URL", "https://auth.example.com/token")}
        {text("oauth2_scopes", "Scopes", "read write", "Space-separated. Optional.")}
      </div>
    </div>
  );
}

function ApiKeyFields({ values, update, errors, original }: SectionProps) {
  return (
    <div className="grid gap-5 rounded-lg border bg-muted/30 p-4 sm:grid-cols-2">
      <FormField
        label="Header name"
        description="Sent with every request, e.g. Authorization or X-API-Key."
        error={errorFor(errors, "api_key_header")}
      >
        <Input
          value={values.api_key_header}
          autoComplete="off"
          spellCheck={false}
          placeholder="X-API-Key"
          onChange={(e) => {
            const api_key_header = e.target.value;
            update((v) => ({ ...v, api_key_header }));
          }}
        />
      </FormField>
      <FormField
        label="Key value"
        description="The whole header value, e.g. “Bearer sk-…” when the header is Authorization."
        error={errorFor(errors, "api_key_value")}
      >
        {(control) => (
          <SecretInput
            control={control}
            value={values.api_key_value}
            hasStored={sameType(values, original) && Boolean(original?.has_api_key)}
            secretName="API key"
            onChange={(api_key_value) => update((v) => ({ ...v, api_key_value }))}
          />
        )}
      </FormField>
    </div>
  );
}

function CustomHeaderFields({ values, update, errors, original }: SectionProps) {
  const keepable = sameType(values, original) ? new Set(original?.custom_header_names) : new Set();
  const setRow = (key: string, change: Partial<HeaderRow>) =>
    update((v) => ({
      ...v,
      custom_headers: v.custom_headers.map((r) => (r.key === key ? { ...r, ...change } : r)),
    }));
  const listError = errors.custom_headers;
  return (
    <fieldset className="flex flex-col gap-3 rounded-lg border bg-muted/30 p-4">
      <legend className="px-1 text-sm font-medium">Headers</legend>
      <p className="text-sm text-muted-foreground">
        Sent with every request. Values are write-only: leave a stored value empty to keep it.
      </p>
      {values.custom_headers.map((row, index) => {
        const n = index + 1;
        const stored = row.storedName !== null && row.storedName === row.name.trim();
        const keeps = stored && keepable.has(row.name.trim());
        const rowError = headerRowError(errors, row, index);
        const errorId = `${row.key}-error`;
        return (
          <div key={row.key} className="flex flex-col gap-1">
            <div className="grid grid-cols-[1fr_1fr_auto] items-center gap-2">
              <Input
                aria-label={`Header name ${n}`}
                aria-invalid={rowError ? true : undefined}
                aria-describedby={rowError ? errorId : undefined}
                value={row.name}
                autoComplete="off"
                spellCheck={false}
                placeholder="X-Header-Name"
                className="font-mono"
                onChange={(e) => setRow(row.key, { name: e.target.value })}
              />
              <Input
                aria-label={`Header value ${n}`}
                aria-invalid={rowError ? true : undefined}
                aria-describedby={rowError ? errorId : undefined}
                type="password"
                autoComplete="new-password"
                value={row.value}
                placeholder={keeps ? STORED_PLACEHOLDER : "Value"}
                onChange={(e) => setRow(row.key, { value: e.target.value })}
              />
              <Button
                type="button"
                variant="ghost"
                size="icon"
                aria-label={`Remove header ${n}`}
                onClick={() =>
                  update((v) => ({
                    ...v,
                    custom_headers: v.custom_headers.filter((r) => r.key !== row.key),
                  }))
                }
              >
                <Trash2Icon aria-hidden="true" />
              </Button>
            </div>
            {rowError ? (
              <p id={errorId} role="alert" className="text-sm font-medium text-destructive">
                {rowError}
              </p>
            ) : null}
          </div>
        );
      })}
      {listError ? (
        <p role="alert" className="text-sm font-medium text-destructive">
          {listError}
        </p>
      ) : null}
      <div>
        <Button
          type="button"
          variant="outline"
          size="sm"
          onClick={() =>
            update((v) => ({ ...v, custom_headers: [...v.custom_headers, newHeaderRow()] }))
          }
        >
          <PlusIcon aria-hidden="true" />
          Add header
        </Button>
      </div>
    </fieldset>
  );
}
