"use client";

// The progress of running MCP tool calls, from the stream's transient `data-tool-progress`
// parts (lib/chat/tool-progress.ts). Held beside the messages, not in them: it is shown only
// while a call runs, so a finished row is the same live and after a reload.
import { createContext, useCallback, useContext, useState } from "react";
import type { ToolProgressData } from "@/lib/chat/tool-progress";

const ToolProgressContext = createContext<ReadonlyMap<string, ToolProgressData>>(new Map());

export const ToolProgressProvider = ToolProgressContext.Provider;

/** The latest progress by call id, and the handler for the chat's data parts. */
export function useToolProgressState() {
  const [progress, setProgress] = useState<ReadonlyMap<string, ToolProgressData>>(new Map());
  const onData = useCallback((part: { type: string; data: unknown }) => {
    if (part.type !== "data-tool-progress") return;
    const data = part.data as ToolProgressData;
    if (typeof data?.tool_call_id !== "string") return;
    setProgress((prev) => new Map(prev).set(data.tool_call_id, data));
  }, []);
  return { progress, onData };
}

export function useToolProgress(toolCallId: string): ToolProgressData | undefined {
  return useContext(ToolProgressContext).get(toolCallId);
}

/** A bar when the server gave a total, else the count; the server's message beside it. */
export function ToolProgressBar({ data, label }: { data: ToolProgressData; label: string }) {
  const total = data.total;
  const percent =
    total !== undefined ? Math.min(100, Math.max(0, (data.progress / total) * 100)) : undefined;
  const count = total !== undefined ? `${data.progress} of ${total}` : `${data.progress}`;
  return (
    <div className="flex flex-col gap-1 border-t px-3 py-2" data-slot="tool-progress">
      <div
        role="progressbar"
        aria-label={`Progress of ${label}`}
        aria-valuemin={0}
        {...(total !== undefined && {
          "aria-valuemax": total,
          "aria-valuenow": Math.min(total, Math.max(0, data.progress)),
        })}
        aria-valuetext={data.message ? `${count}: ${data.message}` : count}
        className="h-1.5 w-full overflow-hidden rounded-full bg-muted"
      >
        <div
          className={
            percent === undefined
              ? "h-full w-1/3 animate-pulse rounded-full bg-primary/60"
              : "h-full rounded-full bg-primary transition-[width]"
          }
          style={percent === undefined ? undefined : { width: `${percent}%` }}
        />
      </div>
      <p className="text-xs break-words text-muted-foreground">
        {data.message ? `${data.message} · ` : ""}
        {count}
      </p>
    </div>
  );
}
