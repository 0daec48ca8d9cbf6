import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  cleanProgress,
  progressChunk,
  ProgressThrottle,
  type ToolProgressData,
} from "./tool-progress";

describe("ProgressThrottle", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("sends the first update at once, then the latest of each interval", () => {
    const sent: ToolProgressData[] = [];
    const throttle = new ProgressThrottle(
      (d) => sent.push(d),
      250,
      () => Date.now(),
    );
    for (let i = 1; i <= 100; i += 1) throttle.report("c1", { progress: i, total: 100 });
    expect(sent.map((d) => d.progress)).toEqual([1]);
    vi.advanceTimersByTime(250);
    expect(sent.map((d) => d.progress)).toEqual([1, 100]);
    vi.advanceTimersByTime(1_000);
    expect(sent).toHaveLength(2);
    // Calls are throttled apart.
    throttle.report("c2", { progress: 5 });
    expect(sent.at(-1)).toEqual({ tool_call_id: "c2", progress: 5 });
  });

  it("drops what is pending when the call finishes", () => {
    const sent: ToolProgressData[] = [];
    const throttle = new ProgressThrottle(
      (d) => sent.push(d),
      250,
      () => Date.now(),
    );
    throttle.report("c1", { progress: 1 });
    throttle.report("c1", { progress: 2 });
    throttle.finish("c1");
    vi.advanceTimersByTime(1_000);
    expect(sent.map((d) => d.progress)).toEqual([1]);
  });
});

describe("cleanProgress", () => {
  it("keeps finite numbers and a bounded one-line message", () => {
    expect(cleanProgress("c", { progress: Number.NaN })).toBeNull();
    expect(cleanProgress("c", { progress: 2, total: 0, message: "  a\n\tb " })).toEqual({
      tool_call_id: "c",
      progress: 2,
      message: "a b",
    });
    expect(cleanProgress("c", { progress: 1, message: "x".repeat(5_000) })!.message).toHaveLength(
      200,
    );
    expect(progressChunk({ tool_call_id: "c", progress: 1 })).toEqual({
      type: "data-tool-progress",
      id: "c",
      data: { tool_call_id: "c", progress: 1 },
      transient: true,
    });
  });
});
