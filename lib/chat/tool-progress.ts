// Progress of a running MCP tool call (notifications/progress), streamed to the chat as a
// transient `data-tool-progress` part: the client shows it on the running tool row and drops it
// when the call ends. It is not stored: a finished row looks the same live and after a reload,
// and a reload during the call shows the next update. A server may send notifications as fast
// as it likes; at most one update per call goes out per interval (the latest one), so it
// cannot flood the stream or the turn's chunk rows.

export const PROGRESS_INTERVAL_MS = 250;
const MAX_PROGRESS_MESSAGE_CHARS = 200;

/** The data of a `data-tool-progress` part. */
export interface ToolProgressData {
  tool_call_id: string;
  progress: number;
  total?: number;
  message?: string;
}

export interface ProgressReport {
  progress: number;
  total?: number;
  message?: string;
}

/** The progress as shown: finite numbers, a one-line message of bounded length. */
export function cleanProgress(toolCallId: string, report: ProgressReport): ToolProgressData | null {
  if (typeof report.progress !== "number" || !Number.isFinite(report.progress)) return null;
  const data: ToolProgressData = { tool_call_id: toolCallId, progress: report.progress };
  if (typeof report.total === "number" && Number.isFinite(report.total) && report.total > 0) {
    data.total = report.total;
  }
  if (typeof report.message === "string") {
    const line = report.message.replace(/\s+/gu, " ").trim();
    if (line !== "") {
      data.message =
        line.length > MAX_PROGRESS_MESSAGE_CHARS
          ? `${line.slice(0, MAX_PROGRESS_MESSAGE_CHARS - 1)}…`
          : line;
    }
  }
  return data;
}

export function progressChunk(data: ToolProgressData): Record<string, unknown> {
  return { type: "data-tool-progress", id: data.tool_call_id, data, transient: true };
}

interface CallState {
  last: number;
  pending?: ToolProgressData;
  timer?: ReturnType<typeof setTimeout>;
}

/**
 * At most one update per call and interval: the first at once, then the latest of each
 * interval. `finish` drops what is pending, so no update follows the call's result.
 */
export class ProgressThrottle {
  private readonly calls = new Map<string, CallState>();

  constructor(
    private readonly emit: (data: ToolProgressData) => void,
    private readonly intervalMs = PROGRESS_INTERVAL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  report(toolCallId: string, report: ProgressReport): void {
    const data = cleanProgress(toolCallId, report);
    if (data === null) return;
    let state = this.calls.get(toolCallId);
    if (state === undefined) {
      state = { last: -Infinity };
      this.calls.set(toolCallId, state);
    }
    const wait = state.last + this.intervalMs - this.now();
    if (wait <= 0 && state.timer === undefined) {
      state.last = this.now();
      this.emit(data);
      return;
    }
    state.pending = data;
    if (state.timer !== undefined) return;
    const current = state;
    current.timer = setTimeout(
      () => {
        current.timer = undefined;
        const next = current.pending;
        current.pending = undefined;
        if (next === undefined || this.calls.get(toolCallId) !== current) return;
        current.last = this.now();
        this.emit(next);
      },
      Math.max(0, wait),
    );
    current.timer.unref?.();
  }

  finish(toolCallId: string): void {
    const state = this.calls.get(toolCallId);
    if (state?.timer !== undefined) clearTimeout(state.timer);
    this.calls.delete(toolCallId);
  }
}
