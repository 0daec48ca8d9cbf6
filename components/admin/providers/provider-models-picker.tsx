"use client";

import { useMutation } from "@tanstack/react-query";
import { ListIcon } from "lucide-react";
import { useId, useState } from "react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { ButtonSpinner } from "@/components/ui/spinner";
import { errorMessage } from "@/lib/client/api";
import { discoverModelsMutation, type ModelDiscovery } from "@/lib/client/provider-queries";

const FILTER_FROM = 8;

/**
 * "List models": asks the provider's API which models it serves and lets the admin tick the
 * ones chats may use. The ticks edit the same model list as the text field above.
 */
export function ProviderModelsPicker({
  discovery,
  selected,
  onToggle,
}: {
  discovery: ModelDiscovery;
  selected: readonly string[];
  onToggle: (model: string, on: boolean) => void;
}) {
  const list = useMutation(discoverModelsMutation());
  const [filter, setFilter] = useState("");
  const listId = useId();
  const shown = (list.data ?? []).filter((m) =>
    `${m.id} ${m.display_name ?? ""}`.toLowerCase().includes(filter.trim().toLowerCase()),
  );

  return (
    <div className="flex flex-col gap-2">
      <Button
        type="button"
        variant="outline"
        size="sm"
        className="w-fit"
        disabled={list.isPending}
        aria-busy={list.isPending}
        onClick={() => {
          setFilter("");
          list.mutate(discovery);
        }}
      >
        {list.isPending ? <ButtonSpinner /> : <ListIcon aria-hidden="true" />}
        {list.isSuccess ? "List models again" : "List models from the provider"}
      </Button>
      {list.isPending ? (
        <p role="status" className="text-sm text-muted-foreground">
          Asking the provider for its models…
        </p>
      ) : list.isError ? (
        <Alert variant="destructive" role="alert">
          <AlertTitle>Could not list models</AlertTitle>
          <AlertDescription>{errorMessage(list.error)}</AlertDescription>
        </Alert>
      ) : list.isSuccess && list.data.length === 0 ? (
        <p role="status" className="text-sm text-muted-foreground">
          The provider lists no models. Type the names above instead.
        </p>
      ) : list.isSuccess ? (
        <div className="flex flex-col gap-2 rounded-md border p-3">
          <p role="status" className="text-sm text-muted-foreground">
            The provider offers {list.data.length} model{list.data.length === 1 ? "" : "s"}. Tick
            the ones chats may use.
          </p>
          {list.data.length >= FILTER_FROM ? (
            <Input
              type="search"
              value={filter}
              onChange={(e) => setFilter(e.target.value)}
              placeholder="Filter models"
              aria-label="Filter the provider's models"
              aria-controls={listId}
            />
          ) : null}
          <ul
            id={listId}
            aria-label="Models the provider offers"
            className="flex max-h-56 flex-col gap-1 overflow-y-auto"
          >
            {shown.map((model) => {
              const id = `${listId}-${model.id}`;
              return (
                <li key={model.id} className="flex items-center gap-2">
                  <Checkbox
                    id={id}
                    checked={selected.includes(model.id)}
                    onCheckedChange={(on) => onToggle(model.id, on === true)}
                  />
                  <Label htmlFor={id} className="font-mono text-xs font-normal">
                    {model.id}
                    {model.display_name ? (
                      <span className="font-sans text-muted-foreground">
                        {" "}
                        ({model.display_name})
                      </span>
                    ) : null}
                  </Label>
                </li>
              );
            })}
            {shown.length === 0 ? (
              <li className="text-sm text-muted-foreground">No model matches the filter.</li>
            ) : null}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
