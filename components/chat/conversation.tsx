"use client";

import { useChat } from "@ai-sdk/react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ArrowDownIcon, CircleAlertIcon } from "lucide-react";
import { useEffect, useId, useMemo, useRef, useState } from "react";
import { toast } from "@/components/ui/toast";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { WorkspaceDialog } from "@/components/workspaces/workspace-dialog";
import { WorkspaceFilesSheet } from "@/components/workspaces/workspace-files-sheet";
import { ApiRequestError, errorMessage } from "@/lib/client/api";
import {
  cancelChatTurnMutation,
  chatQuery,
  chatQueryKeys,
  modelsQuery,
  selectBranchMutation,
  updateChatMutation,
} from "@/lib/client/chat-queries";
import { mcpServersQuery } from "@/lib/client/mcp-queries";
import { meQuery } from "@/lib/client/queries";
import type { ChatWithMessages } from "@/lib/client/types";
import { approvalQueryKeys } from "@/lib/client/approval-queries";
import { ApprovalActions } from "./approval-card";
import { ChatHistorySheet } from "./chat-history";
import { chatTitle } from "./chat-title";
import { ChatToolsDialog } from "./chat-tools-dialog";
import { createChatTransport, type TurnBody } from "./chat-transport";
import { Composer } from "./composer";
import { ComposerToolbar } from "./composer-toolbar";
import { initialSelection, planServersSentence, sameSelection } from "./mcp-selection";
import type { MessageActions } from "./message-actions";
import { adoptStored, toUIMessages, type ChatUIMessage } from "./message-convert";
import { MessageList, StreamingIndicator, type FollowUp } from "./message-list";
import { ToolProgressProvider, useToolProgressState } from "./tool-progress";
import { NoModelsState } from "./model-select";
import { serverIssues } from "./notice-repeats";
import { clearPendingTurn, type PendingTurn } from "./pending-turn";
import { ParentChatLink, SubAgentsMenu } from "./sub-agents";
import { ToolGrants } from "./tool-grants";
import { useStickToBottom } from "./use-stick-to-bottom";

function sendErrorText(err: Error): { title: string; message: string } {
  if (err instanceof ApiRequestError) {
    return { title: "The message was not sent", message: err.message };
  }
  // fetch() rejects with a TypeError when the network is gone.
  if (err instanceof TypeError) {
    return {
      title: "Connection lost",
      message: "Cannot reach the server. Check your connection.",
    };
  }
  return { title: "The answer failed", message: err.message || "Something went wrong." };
}

const markCancelled = (all: ChatUIMessage[]): ChatUIMessage[] => {
  const last = all.at(-1);
  if (last?.role !== "assistant") return all;
  return [
    ...all.slice(0, -1),
    { ...last, metadata: { ...last.metadata, status: "cancelled" as const } },
  ];
};

/**
 * One chat: the stored messages, then live turns streamed with the AI SDK. Reloading while a
 * turn runs resumes its stream (`resume`). MCP server changes are sent with the next message
 * (`mcp_server_ids`, absent = unchanged), so a selection applies exactly from that turn on.
 */
export function Conversation({
  chat,
  pending,
}: {
  chat: ChatWithMessages;
  /** The first message, when the chat was just created from the new-chat screen. */
  pending?: PendingTurn;
}) {
  const qc = useQueryClient();
  const servers = useQuery(mcpServersQuery());
  const models = useQuery(modelsQuery());
  const me = useQuery(meQuery());
  const updateChat = useMutation(updateChatMutation(qc));
  const cancel = useMutation(cancelChatTurnMutation());
  const switchBranch = useMutation(selectBranchMutation(qc));
  const planHintId = useId();
  const [input, setInput] = useState("");
  // A reopened chat continues in the mode of its last message.
  const [planMode, setPlanMode] = useState(
    () =>
      pending?.plan_mode ?? chat.messages.findLast((m) => m.role === "user")?.plan_mode ?? false,
  );
  const [changedSelection, setChangedSelection] = useState<string[]>();
  const serverList = useMemo(() => servers.data ?? [], [servers.data]);
  const savedSelection = useMemo(
    () => initialSelection(serverList, chat.mcp_server_ids),
    [serverList, chat.mcp_server_ids],
  );
  const selection = changedSelection ?? savedSelection;
  const selectionDirty =
    changedSelection !== undefined && !sameSelection(changedSelection, savedSelection);

  // What the retry button repeats: the last send (with its options), or the initial resume.
  const lastRequest = useRef<{ kind: "send"; body: TurnBody } | { kind: "resume" }>(
    pending ? { kind: "send", body: { plan_mode: pending.plan_mode } } : { kind: "resume" },
  );
  const [initialMessages] = useState(() => toUIMessages(chat.messages));
  const { progress: toolProgress, onData: onToolProgress } = useToolProgressState();
  const [{ transport, setNoActiveTurnHandler }] = useState(() => createChatTransport(chat.id));
  const { messages, setMessages, sendMessage, regenerate, resumeStream, stop, status, error } =
    useChat<ChatUIMessage>({
      id: chat.id,
      messages: initialMessages,
      transport,
      // A chat created a moment ago has no turn to resume; its first message is sent below.
      resume: !pending,
      // Long answers re-parse their Markdown on each update: a few per second is enough.
      experimental_throttle: 50,
      onData: onToolProgress,
      onFinish: () => {
        void qc.invalidateQueries({ queryKey: chatQueryKeys.all });
        // Live questions carry client ids: take the stored ids and branch data, so they can be
        // edited and their versions switched (docs/chat-branches.md).
        void qc
          .fetchQuery({ ...chatQuery(chat.id), staleTime: 0 })
          .then((fresh) => setMessages((current) => adoptStored(current, fresh.messages)))
          .catch(() => undefined);
      },
    });
  const busy = status === "submitted" || status === "streaming";
  const { scrollRef, contentRef, atBottom, scrollToBottom } = useStickToBottom();

  // The page loaded a message still "streaming", but no turn runs any more: it ended between
  // the page load and the resume, so show the stored final version.
  // After an answer to an approval: the turn it resumed may be over before its stream is
  // asked for (a fast model); then the stored messages are the answer.
  const refreshAfterAnswer = useRef(false);
  useEffect(() => {
    const last = initialMessages.at(-1);
    let stale = last?.role === "assistant" && last.metadata?.status === "streaming";
    setNoActiveTurnHandler(() => {
      if (refreshAfterAnswer.current) {
        refreshAfterAnswer.current = false;
        void qc
          .fetchQuery({ ...chatQuery(chat.id), staleTime: 0 })
          .then((fresh) => setMessages(toUIMessages(fresh.messages)))
          .catch(() => undefined);
        return;
      }
      if (!stale) return;
      stale = false;
      void qc
        .fetchQuery({ ...chatQuery(chat.id), staleTime: 0 })
        .then((fresh) =>
          setMessages((current) =>
            current.length === initialMessages.length ? toUIMessages(fresh.messages) : current,
          ),
        )
        .catch(() => undefined);
    });
    return () => setNoActiveTurnHandler(undefined);
  }, [chat.id, initialMessages, qc, setMessages, setNoActiveTurnHandler]);

  // The server names a new chat and marks it running when the turn starts: show both now.
  useEffect(() => {
    if (status === "streaming") void qc.invalidateQueries({ queryKey: chatQueryKeys.all });
  }, [status, qc]);

  const sentPending = useRef(false);
  useEffect(() => {
    if (!pending || sentPending.current) return;
    sentPending.current = true;
    clearPendingTurn(chat.id);
    void sendMessage(
      { text: pending.content, metadata: { plan_mode: pending.plan_mode } },
      { body: { plan_mode: pending.plan_mode } satisfies TurnBody },
    );
  }, [chat.id, pending, sendMessage]);

  function sendTurn(text: string, asPlan: boolean) {
    const body: TurnBody = {
      plan_mode: asPlan,
      ...(selectionDirty ? { mcp_server_ids: changedSelection } : {}),
    };
    lastRequest.current = { kind: "send", body };
    scrollToBottom();
    void sendMessage({ text, metadata: { plan_mode: asPlan } }, { body });
  }

  function send(text: string) {
    setInput("");
    sendTurn(text, planMode);
  }

  // "Implement plan" leaves plan mode; answers to questions keep the mode they were asked in.
  const followUp: FollowUp = (text, opts) => {
    setPlanMode(opts.planMode);
    sendTurn(text, opts.planMode);
  };

  function turnBody(extra: Partial<TurnBody>): TurnBody {
    return {
      plan_mode: planMode,
      ...(selectionDirty ? { mcp_server_ids: changedSelection } : {}),
      ...extra,
    };
  }

  const messageActions: MessageActions = {
    regenerate: (answerId) => {
      const body = turnBody({ regenerate_of: answerId });
      lastRequest.current = { kind: "send", body };
      void regenerate({ messageId: answerId, body });
    },
    edit: (questionId, text) => {
      const body = turnBody({ edit_of: questionId });
      lastRequest.current = { kind: "send", body };
      scrollToBottom();
      void sendMessage(
        { text, messageId: questionId, metadata: { plan_mode: planMode } },
        { body },
      );
    },
    showBranch: (messageId) =>
      switchBranch.mutate(
        { chatId: chat.id, messageId },
        {
          onSuccess: (fresh) => setMessages(toUIMessages(fresh.messages)),
          onError: (err) => toast.error(errorMessage(err)),
        },
      ),
    switching: switchBranch.isPending,
  };

  function retry() {
    const last = lastRequest.current;
    if (last.kind === "send") void regenerate({ body: last.body });
    else void resumeStream();
  }

  async function onStop() {
    // The turn runs on the server: stopping the stream alone would let it finish unseen.
    cancel.mutate(chat.id, { onError: (err) => toast.error(errorMessage(err)) });
    await stop();
    setMessages(markCancelled);
    void qc.invalidateQueries({ queryKey: chatQueryKeys.all });
  }

  function onModelChange(model: string) {
    updateChat.mutate(
      { id: chat.id, patch: { model } },
      { onError: (err) => toast.error(errorMessage(err)) },
    );
  }

  // An answered approval resumes the turn on the server: follow its stream from here.
  const approvalActions = useMemo(
    () => ({
      chatId: chat.id,
      onAnswered: () => {
        refreshAfterAnswer.current = true;
        void qc.invalidateQueries({ queryKey: chatQueryKeys.all });
        void qc.invalidateQueries({ queryKey: approvalQueryKeys.grants(chat.id) });
        void resumeStream();
      },
    }),
    [chat.id, qc, resumeStream],
  );
  const issues = useMemo(() => serverIssues(messages), [messages]);
  const noModels = models.isSuccess && models.data.length === 0;
  const shownError = status === "error" && error ? sendErrorText(error) : null;
  const title = chatTitle(chat);

  return (
    <div className="relative flex min-h-0 flex-1 flex-col">
      <header className="flex items-center gap-2 border-b px-4 py-2">
        <ChatHistorySheet />
        <h1 className="min-w-0 flex-1 truncate text-sm font-medium">{title}</h1>
        <ParentChatLink chat={chat} />
        <SubAgentsMenu chatId={chat.id} busy={busy} />
        {chat.workspace_id ? (
          <WorkspaceFilesSheet workspaceId={chat.workspace_id} chatId={chat.id} />
        ) : null}
        <WorkspaceDialog chatId={chat.id} workspaceId={chat.workspace_id} />
        <ChatToolsDialog
          chatId={chat.id}
          planMode={planMode}
          selectionPending={selectionDirty}
          hasWorkspace={chat.workspace_id !== null}
        />
      </header>
      <div ref={scrollRef} className="min-h-0 flex-1 overflow-y-auto">
        <section
          ref={contentRef}
          aria-label="Messages"
          className="mx-auto flex w-full max-w-3xl flex-col gap-6 px-4 py-6"
        >
          {messages.length === 0 && !busy ? (
            <p className="py-12 text-center text-sm text-muted-foreground">
              No messages yet. Ask something to start.
            </p>
          ) : null}
          <ApprovalActions.Provider value={approvalActions}>
            <ToolProgressProvider value={toolProgress}>
              <MessageList
                messages={messages}
                servers={serverList}
                followUp={busy ? undefined : followUp}
                busy={busy}
                actions={messageActions}
              />
            </ToolProgressProvider>
          </ApprovalActions.Provider>
          {busy ? (
            <StreamingIndicator
              label={status === "submitted" ? "Waiting for the answer" : "Writing the answer"}
            />
          ) : null}
          {shownError ? (
            <Alert variant="destructive">
              <CircleAlertIcon aria-hidden="true" />
              <AlertTitle>{shownError.title}</AlertTitle>
              <AlertDescription>
                <p>{shownError.message}</p>
                <Button type="button" size="sm" variant="outline" className="mt-1" onClick={retry}>
                  Retry
                </Button>
              </AlertDescription>
            </Alert>
          ) : null}
        </section>
      </div>
      {!atBottom ? (
        <Button
          type="button"
          size="icon"
          variant="outline"
          className="absolute bottom-36 left-1/2 size-8 -translate-x-1/2 rounded-full shadow-md"
          aria-label="Scroll to the latest message"
          onClick={scrollToBottom}
        >
          <ArrowDownIcon />
        </Button>
      ) : null}
      <div className="mx-auto w-full max-w-3xl px-4 pb-4">
        <ToolGrants chatId={chat.id} servers={serverList} />
        {noModels ? (
          <NoModelsState isAdmin={me.data?.role === "admin"} />
        ) : (
          <Composer
            value={input}
            onValueChange={setInput}
            onSend={send}
            onStop={() => void onStop()}
            busy={busy}
            stopping={cancel.isPending}
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
                model={updateChat.isPending ? updateChat.variables?.patch.model : chat.model}
                onModelChange={onModelChange}
                planMode={planMode}
                onPlanModeChange={setPlanMode}
                planHintId={planHintId}
                isAdmin={me.data?.role === "admin"}
                serverIssues={issues}
              />
            }
          />
        )}
      </div>
    </div>
  );
}
