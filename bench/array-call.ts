// One of the calls users make, timed in a process of its own: `fromArray`, `toArray`,
// `fromArrayAsync` or `toArrayAsync` (argv[2]) on `workers` workers (argv[3]), level 5, on the
// benchmark array; one untimed run, then the median of BENCH_REPEATS. Each call gets the same
// fresh process because the garbage of 462 MB results slows a call repeated in one process
// (toArray three times in a row: 294, 187 and 168 MB/s), and did so unevenly: a call measured
// later in a run looked slower than it was. Run by codec.ts. Prints one JSON line: { MBs }.
import { closeWorkers, FlacArray } from "@flacarray/core";
import { neuropixelsLike } from "./neuropixels-like.js";
import { CHANNELS, median, rawMB, SAMPLES, timeAsync } from "./setup.js";

/** The calls this script times. */
export type ArrayCall = "fromArray" | "toArray" | "fromArrayAsync" | "toArrayAsync";

const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const call = process.argv[2] as ArrayCall;
const workers = Number(process.argv[3] ?? 1);
const arr = { data: neuropixelsLike(CHANNELS, SAMPLES, 42), shape: [CHANNELS, SAMPLES] };
const fa = FlacArray.fromArray(arr, { level: 5 });
const calls: Record<ArrayCall, () => unknown> = {
  fromArray: () => FlacArray.fromArray(arr, { level: 5 }),
  toArray: () => fa.toArray(),
  fromArrayAsync: () => FlacArray.fromArrayAsync(arr, { level: 5, workers }),
  toArrayAsync: () => fa.toArrayAsync({ workers }),
};
const run = calls[call];
if (!run) throw new Error(`bench/array-call.ts: unknown call ${call}`);
await run();
const seconds: number[] = [];
for (let r = 0; r < REPEATS; r++) seconds.push(await timeAsync(async () => run()));
await closeWorkers();
console.log(JSON.stringify({ MBs: rawMB / median(seconds) }));
