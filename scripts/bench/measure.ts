// Timing helpers. Figures are medians, and a figure compared with a baseline is measured in
// interleaved rounds (baseline, candidate, candidate, baseline, ...) so that load from other
// processes on the machine falls on both alike.

export const DURATION_MS = Number(process.env.BENCH_MS ?? 1500);
export const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error("median of nothing: the section measured no rounds");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export async function timeMs(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** Operations per second over DURATION_MS, after a warm-up. */
export async function throughput(fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 20; i++) await fn();
  let ops = 0;
  const start = performance.now();
  while (performance.now() - start < DURATION_MS) {
    await fn();
    ops++;
  }
  return (ops * 1000) / (performance.now() - start);
}

export async function medianMs(
  rounds: number,
  fn: () => Promise<unknown>,
  warmup = 2,
): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) times.push(await timeMs(fn));
  return median(times);
}

/**
 * Median of each function over `rounds` interleaved rounds; the order alternates every round
 * so neither side always runs first (warm caches, GC debt).
 */
export async function interleaved<K extends string>(
  rounds: number,
  fns: Record<K, () => Promise<unknown>>,
  warmup = 2,
): Promise<Record<K, number>> {
  const keys = Object.keys(fns) as K[];
  for (let i = 0; i < warmup; i++) for (const key of keys) await fns[key]();
  const times = Object.fromEntries(keys.map((key) => [key, [] as number[]])) as Record<K, number[]>;
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? keys : [...keys].reverse();
    for (const key of order) times[key].push(await timeMs(fns[key]));
  }
  return Object.fromEntries(keys.map((key) => [key, median(times[key])])) as Record<K, number>;
}
