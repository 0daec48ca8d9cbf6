"use client";

import type { McpServerConfig, ModelOption } from "@/lib/client/types";
import { PlanModeSwitch } from "./composer";
import type { ChatNotice } from "./message-convert";
import { McpServerPicker } from "./mcp-server-picker";
import { ModelSelect } from "./model-select";

/** Servers, model and plan mode: the same controls on the new-chat screen and in a chat. */
export function ComposerToolbar({
  servers,
  serversLoading,
  selection,
  onSelectionChange,
  models,
  model,
  onModelChange,
  planMode,
  onPlanModeChange,
  planHintId,
  isAdmin,
  disabled = false,
  serverIssues,
}: {
  servers: readonly McpServerConfig[];
  serversLoading: boolean;
  selection: readonly string[];
  onSelectionChange: (next: string[]) => void;
  models: readonly ModelOption[];
  model: string | null | undefined;
  onModelChange: (id: string) => void;
  planMode: boolean;
  onPlanModeChange: (on: boolean) => void;
  planHintId: string;
  isAdmin: boolean;
  disabled?: boolean;
  /** Problems the latest answer reported, by server id (see notice-repeats.ts). */
  serverIssues?: ReadonlyMap<string, ChatNotice>;
}) {
  return (
    <>
      <McpServerPicker
        servers={servers}
        selection={selection}
        onChange={onSelectionChange}
        isLoading={serversLoading}
        isAdmin={isAdmin}
        disabled={disabled}
        planMode={planMode}
        issues={serverIssues}
      />
      <ModelSelect models={models} value={model} onChange={onModelChange} disabled={disabled} />
      <PlanModeSwitch
        checked={planMode}
        onCheckedChange={onPlanModeChange}
        hintId={planHintId}
        disabled={disabled}
      />
    </>
  );
}
