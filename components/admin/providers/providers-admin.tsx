"use client";

import { QueryView } from "@/components/query-view";
import { useQuery } from "@tanstack/react-query";
import { BrainCircuitIcon, PencilIcon, PlusIcon, StarIcon, Trash2Icon } from "lucide-react";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { modelProvidersQuery } from "@/lib/client/provider-queries";
import type { ModelProvider } from "@/lib/client/types";
import { DeleteProviderDialog } from "./delete-provider-dialog";
import { ProviderTestButton } from "./provider-test-button";
import { ProviderDialog } from "./provider-dialog";
import { KIND_LABELS } from "./provider-form-logic";

function AddProviderButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button onClick={() => setOpen(true)}>
        <PlusIcon aria-hidden="true" />
        Add provider
      </Button>
      <ProviderDialog open={open} onOpenChange={setOpen} />
    </>
  );
}

export function ProvidersAdmin() {
  const providers = useQuery(modelProvidersQuery());
  const empty = providers.isSuccess && providers.data.length === 0;
  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-6">
      <PageHeader
        title="Model providers"
        description="Connect the language model APIs chats run on: OpenAI, Anthropic, or any OpenAI-compatible server such as Ollama or vLLM."
        actions={empty ? null : <AddProviderButton />}
      />
      <QueryView
        query={providers}
        loadingLabel="Loading model providers"
        skeletonClassName="h-12 w-full"
        empty={
          <EmptyState
            icon={<BrainCircuitIcon />}
            title="No model providers yet"
            description="Add a provider so chats have a model to talk to. The first provider's default model becomes everyone's default."
            action={<AddProviderButton />}
          />
        }
      >
        {(data) => (
          <div className="rounded-lg border">
            <Table aria-label="Model providers">
              <TableHeader>
                <TableRow>
                  <TableHead>Name</TableHead>
                  <TableHead className="hidden sm:table-cell">Kind</TableHead>
                  <TableHead className="hidden md:table-cell">Base URL</TableHead>
                  <TableHead>Models</TableHead>
                  <TableHead className="hidden md:table-cell">API key</TableHead>
                  <TableHead className="text-right">
                    <span className="sr-only">Actions</span>
                  </TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {data.map((p, index) => (
                  <ProviderRow key={p.id} provider={p} holdsGlobalDefault={index === 0} />
                ))}
              </TableBody>
            </Table>
          </div>
        )}
      </QueryView>
    </div>
  );
}

function ProviderRow({
  provider,
  holdsGlobalDefault,
}: {
  provider: ModelProvider;
  /** Oldest provider: its default model is the default of every chat that picks none. */
  holdsGlobalDefault: boolean;
}) {
  const [editOpen, setEditOpen] = useState(false);
  const [deleteOpen, setDeleteOpen] = useState(false);
  return (
    <TableRow>
      <TableCell className="font-medium">{provider.display_name}</TableCell>
      <TableCell className="hidden sm:table-cell">
        {KIND_LABELS[provider.kind] ?? provider.kind}
      </TableCell>
      <TableCell className="hidden max-w-64 md:table-cell">
        <span className="block truncate text-sm text-muted-foreground" title={provider.base_url}>
          {provider.base_url}
        </span>
      </TableCell>
      <TableCell className="max-w-80">
        <ul aria-label={`Models of ${provider.display_name}`} className="flex flex-wrap gap-1">
          {provider.models.map((model) => {
            const isDefault = model === provider.default_model;
            return (
              <li key={model}>
                <Badge
                  variant={isDefault ? "default" : "secondary"}
                  className="font-mono"
                  title={
                    isDefault
                      ? holdsGlobalDefault
                        ? "Default model for every chat that picks none"
                        : "This provider's default model"
                      : undefined
                  }
                >
                  {isDefault ? <StarIcon aria-hidden="true" /> : null}
                  {model}
                  {isDefault ? <span className="sr-only"> (default)</span> : null}
                </Badge>
              </li>
            );
          })}
        </ul>
      </TableCell>
      <TableCell className="hidden md:table-cell">
        {provider.has_api_key ? (
          <Badge variant="secondary">Set</Badge>
        ) : (
          <Badge variant="outline">Not set</Badge>
        )}
      </TableCell>
      <TableCell className="text-right">
        <div className="flex items-start justify-end gap-1">
          <ProviderTestButton provider={provider} />
          <Button
            variant="ghost"
            size="icon"
            aria-label={`Edit ${provider.display_name}`}
            title="Edit"
            onClick={() => setEditOpen(true)}
          >
            <PencilIcon aria-hidden="true" />
          </Button>
          <Button
            variant="ghost"
            size="icon"
            aria-label={`Delete ${provider.display_name}`}
            title="Delete"
            onClick={() => setDeleteOpen(true)}
          >
            <Trash2Icon aria-hidden="true" />
          </Button>
        </div>
        <ProviderDialog provider={provider} open={editOpen} onOpenChange={setEditOpen} />
        <DeleteProviderDialog provider={provider} open={deleteOpen} onOpenChange={setDeleteOpen} />
      </TableCell>
    </TableRow>
  );
}
