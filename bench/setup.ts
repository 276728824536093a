// What every benchmark shares: the array size (BENCH_CHANNELS x BENCH_SAMPLES, default the
// 385 x 300000 Neuropixels-like array), timing, and the results folder.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** Channels (streams) of the benchmark array. */
export const CHANNELS = Number(process.env.BENCH_CHANNELS ?? 385);
/** Samples per channel. */
export const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 300000);
/** Size of the recording in MB, counting 2 bytes per sample (int16, as Neuropixels stores it). */
export const rawMB = (CHANNELS * SAMPLES * 2) / 1e6;

/** The median of `values`. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Seconds `fn` takes. */
export function time(fn: () => void): number {
  const t = performance.now();
  fn();
  return (performance.now() - t) / 1000;
}

/** Seconds `fn` takes (async). */
export async function timeAsync(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return (performance.now() - t) / 1000;
}

/** Writes `bench/results/<name>.json` with the date, the array size and Node's version. */
export function writeResults(name: string, results: Record<string, unknown>): void {
  const dir = join(dirname(fileURLToPath(import.meta.url)), "results");
  mkdirSync(dir, { recursive: true });
  const header = { date: new Date().toISOString(), channels: CHANNELS, samples: SAMPLES, node: process.version };
  writeFileSync(join(dir, `${name}.json`), JSON.stringify({ ...header, ...results }, null, 2));
}
