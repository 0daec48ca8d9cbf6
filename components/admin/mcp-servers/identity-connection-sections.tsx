"use client";

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
import { Textarea } from "@/components/ui/textarea";
import { TRANSPORTS, type Transport } from "@/lib/schemas/mcp-servers";
import { McpServerIcon } from "./mcp-server-icon";
import { TRANSPORT_LABELS } from "./mcp-server-labels";
import { withDisplayName, withSlug, type SectionProps } from "./mcp-server-form-logic";
import { errorFor } from "./mcp-server-form-validation";

export function IdentitySection({ values, update, errors, original }: SectionProps) {
  return (
    <Card>
      <CardHeader>
        <CardTitle asChild>
          <h2>Identity</h2>
        </CardTitle>
        <CardDescription>How the server appears to users in chats.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-5 sm:grid-cols-2">
        <FormField label="Display name" required error={errorFor(errors, "display_name")}>
          <Input
            value={values.display_name}
            maxLength={100}
            autoComplete="off"
            placeholder="e.g. Docs search"
            onChange={(e) => {
              const name = e.target.value;
              update((v) => withDisplayName(v, name));
            }}
          />
        </FormField>
        <FormField
          label="Slug"
          description={
            original
              ? "Prefixes every tool name the model sees. Changing it renames them in new turns."
              : "Prefixes every tool name the model sees. Generated from the name until you edit it."
          }
          error={errorFor(errors, "slug")}
        >
          <Input
            value={values.slug}
            maxLength={32}
            autoComplete="off"
            spellCheck={false}
            className="font-mono"
            placeholder="docs-search"
            onChange={(e) => {
              const slug = e.target.value;
              update((v) => withSlug(v, slug));
            }}
          />
        </FormField>
        <FormField
          className="sm:col-span-2"
          label="Description"
          description="Optional. Shown to users when they pick servers for a chat."
          error={errorFor(errors, "description")}
        >
          <Textarea
            value={values.description}
            maxLength={500}
            rows={2}
            onChange={(e) => {
              const description = e.target.value;
              update((v) => ({ ...v, description }));
            }}
          />
        </FormField>
        <FormField
          className="sm:col-span-2"
          label="Icon URL"
          description="Optional. An https URL, a data:image URL or a path on this server, such as /icons/github.svg."
          error={errorFor(errors, "icon_url")}
        >
          {(control) => (
            <div className="flex items-center gap-3">
              <McpServerIcon
                src={values.icon_url.trim()}
                name={values.display_name || "New server"}
                className="size-9"
              />
              <Input
                {...control}
                value={values.icon_url}
                autoComplete="off"
                spellCheck={false}
                placeholder="https://example.com/icon.svg"
                onChange={(e) => {
                  const icon_url = e.target.value;
                  update((v) => ({ ...v, icon_url }));
                }}
              />
            </div>
          )}
        </FormField>
      </CardContent>
    </Card>
  );
}

export function ConnectionSection({ values, update, errors }: SectionProps) {
  return (
    <Card>
      <CardHeader>
        <CardTitle asChild>
          <h2>Connection</h2>
        </CardTitle>
        <CardDescription>
          Where toolgate reaches the server. Private and loopback addresses are refused unless an
          operator lists them in EGRESS_ALLOWLIST.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-5 sm:grid-cols-[1fr_14rem]">
        <FormField label="URL" required error={errorFor(errors, "url")}>
          <Input
            type="url"
            inputMode="url"
            value={values.url}
            autoComplete="off"
            spellCheck={false}
            placeholder="https://mcp.example.com/mcp"
            onChange={(e) => {
              const url = e.target.value;
              update((v) => ({ ...v, url }));
            }}
          />
        </FormField>
        <FormField label="Transport" error={errorFor(errors, "transport")}>
          {(control) => (
            <Select
              value={values.transport}
              onValueChange={(t) => update((v) => ({ ...v, transport: t as Transport }))}
            >
              <SelectTrigger {...control} className="w-full">
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                {TRANSPORTS.map((t) => (
                  <SelectItem key={t} value={t}>
                    {TRANSPORT_LABELS[t]}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
          )}
        </FormField>
      </CardContent>
    </Card>
  );
}
