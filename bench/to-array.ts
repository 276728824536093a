// toArray against the raw decoder, in one process: the level-5 FlacArray of the benchmark array
// is decoded stream by stream into one reused buffer (FlacDecoder, what the codec table times)
// and with `toArray` (a fresh result). Run by codec.ts twice, in child processes: with Node's
// default memory and with glibc's huge-page tunable (GLIBC_TUNABLES=glibc.malloc.hugetlb=1),
// because a fresh result's first touch is what separates the two. Prints one JSON line.
import { FlacArray, FlacDecoder } from "@flacarray/core";
import { neuropixelsLike } from "./neuropixels-like.js";
import { CHANNELS, median, rawMB, SAMPLES, time } from "./setup.js";

const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const data = neuropixelsLike(CHANNELS, SAMPLES, 42);
const fa = FlacArray.fromArray({ data, shape: [CHANNELS, SAMPLES] }, { level: 5, verify: false });
const starts = fa.streamStarts;
const ends = fa.streamBytes.map((n, i) => n + starts[i]);
const streams = Array.from({ length: CHANNELS }, (_, c) => fa.compressed.subarray(Number(starts[c]), Number(ends[c])));
const decoder = new FlacDecoder();
const out = new Int32Array(SAMPLES);

/** Median seconds of `REPEATS` runs of `fn`, after one untimed run. */
function medianTime(fn: () => void): number {
  fn();
  return median(Array.from({ length: REPEATS }, () => time(fn)));
}

const rawDecoderMBs =
  rawMB /
  medianTime(() => {
    for (const s of streams) decoder.decode(s, out, { totalSamples: SAMPLES });
  });
let first = 0;
const toArrayMBs =
  rawMB /
  medianTime(() => {
    const { data: result } = fa.toArray();
    first = result[0] as number; // keeps the result alive until decoded
  });
if (first !== data[0]) throw new Error("toArray gave another first sample");
console.log(JSON.stringify({ rawDecoderMBs, toArrayMBs }));
