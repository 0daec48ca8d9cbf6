"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { CircleAlertIcon, ShieldCheckIcon } from "lucide-react";
import { useRouter } from "next/navigation";
import { useEffect, useId, useMemo, useState } from "react";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Skeleton } from "@/components/ui/skeleton";
import { errorMessage } from "@/lib/client/api";
import { createChatMutation, modelsQuery } from "@/lib/client/chat-queries";
import { mcpServersQuery } from "@/lib/client/mcp-queries";
import { meQuery } from "@/lib/client/queries";
import { ChatHistorySheet } from "./chat-history";
import { Composer } from "./composer";
import { ComposerToolbar } from "./composer-toolbar";
import { preloadMarkdown } from "./markdown";
import { initialSelection, planServersSentence } from "./mcp-selection";
import { NoModelsState } from "./model-select";
import { setPendingTurn } from "./pending-turn";

/**
 * `/chat`: a composer with no chat behind it yet. The first send creates the chat with the
 * chosen model and servers, then opens it, where the message is sent.
 */
export function NewChatView() {
  const qc = useQueryClient();
  const router = useRouter();
  const servers = useQuery(mcpServersQuery());
  const models = useQuery(modelsQuery());
  const me = useQuery(meQuery());
  const create = useMutation(createChatMutation(qc));
  const planHintId = useId();
  const [input, setInput] = useState("");
  const [planMode, setPlanMode] = useState(false);
  const [model, setModel] = useState<string>();
  const [changedSelection, setChangedSelection] = useState<string[]>();
  const serverList = useMemo(() => servers.data ?? [], [servers.data]);
  const selection = changedSelection ?? initialSelection(serverList);
  const isAdmin = me.data?.role === "admin";
  // The chat this screen creates opens with Markdown answers: have the renderer ready.
  useEffect(preloadMarkdown, []);

  function send(content: string) {
    create.mutate(
      {
        ...(model ? { model } : {}),
        // Until the servers load, let the server preselect its default_on servers.
        ...(servers.isSuccess ? { mcp_server_ids: selection } : {}),
      },
      {
        onSuccess: (chat) => {
          setPendingTurn(chat.id, { content, plan_mode: planMode });
          router.push(`/chat/${chat.id}`);
        },
      },
    );
  }

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <header className="flex items-center gap-2 border-b px-4 py-2">
        <ChatHistorySheet />
        <h1 className="text-sm font-medium">New chat</h1>
      </header>
      <div className="mx-auto flex w-full max-w-3xl flex-1 flex-col justify-center gap-6 px-4 py-8">
        <div className="flex flex-col items-center gap-2 text-center">
          <ShieldCheckIcon aria-hidden="true" className="size-8 text-muted-foreground" />
          <p className="text-2xl font-semibold tracking-tight">What can I help with?</p>
          <p className="max-w-md text-sm text-balance text-muted-foreground">
            Pick the MCP servers whose tools the model may use, then ask away.
          </p>
        </div>
        {models.isPending ? (
          <div role="status" aria-busy="true" aria-label="Loading models">
            <Skeleton className="h-28 w-full rounded-2xl" />
          </div>
        ) : models.isSuccess && models.data.length === 0 ? (
          <NoModelsState isAdmin={isAdmin} />
        ) : (
          <>
            {create.isError ? (
              <Alert variant="destructive">
                <CircleAlertIcon aria-hidden="true" />
                <AlertDescription>
                  The chat could not be created: {errorMessage(create.error)}
                </AlertDescription>
              </Alert>
            ) : null}
            {models.isError ? (
              <Alert variant="destructive">
                <CircleAlertIcon aria-hidden="true" />
                <AlertDescription>
                  The models could not be loaded: {errorMessage(models.error)}
                </AlertDescription>
              </Alert>
            ) : null}
            <Composer
              value={input}
              onValueChange={setInput}
              onSend={send}
              busy={false}
              sending={create.isPending || create.isSuccess}
              planMode={planMode}
              planHintId={planHintId}
              planNote={servers.isSuccess ? planServersSentence(serverList, selection) : undefined}
              autoFocus
              toolbar={
                <ComposerToolbar
                  servers={serverList}
                  serversLoading={servers.isPending}
                  selection={selection}
                  onSelectionChange={setChangedSelection}
                  models={models.data ?? []}
                  model={model}
                  onModelChange={setModel}
                  planMode={planMode}
                  onPlanModeChange={setPlanMode}
                  planHintId={planHintId}
                  isAdmin={isAdmin}
                  disabled={create.isPending}
                />
              }
            />
          </>
        )}
      </div>
    </div>
  );
}
