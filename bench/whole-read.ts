// A whole read against the raw decoder, in one process: the level-5 streams of the benchmark
// array are decoded stream by stream into one reused buffer (FlacDecoder, what the codec table
// times), and then read whole into a fresh result by one of the calls users make (argv[2]):
//   toArray             FlacArray.toArray, the array compressed in this process
//   hdf5 FILE           @flacarray/hdf5 readArray of the group "ap" of FILE
//   zarr STORE          @flacarray/zarr readArray of the group "ap" of the directory STORE
// The raw decoder reads the same streams (for a file, as readFlacArray reads them). Run by
// against-raw-decoder.ts in child processes, with Node's default memory and with glibc's
// huge-page tunable, because a fresh result's first touch is what separates the two. The two
// take turns, BENCH_REPEATS rounds (default 5). Prints one JSON line: { rawDecoderMBs, readMBs, ratio }, the ratio
// being the median of each round's read / raw decoder speed.
import { FlacArray, FlacDecoder } from "@flacarray/core";
import * as hdf5 from "@flacarray/hdf5/node";
import * as zarr from "@flacarray/zarr/node";
import { neuropixelsLike } from "./neuropixels-like.js";
import { CHANNELS, median, rawMB, SAMPLES, timeAsync } from "./setup.js";

/** Rounds: 5 by default, not 3 as elsewhere, because single rounds of 462 MB reads vary by 20% here. */
const REPEATS = Number(process.env.BENCH_REPEATS ?? 5);
const [call, path] = process.argv.slice(2);

/** The FlacArray whose streams the raw decoder reads, and the whole read timed against it. */
async function prepare(): Promise<{ fa: FlacArray; read: () => Promise<ArrayLike<unknown>> }> {
  if (call === "toArray") {
    const data = neuropixelsLike(CHANNELS, SAMPLES, 42);
    const fa = FlacArray.fromArray({ data, shape: [CHANNELS, SAMPLES] }, { level: 5, verify: false });
    return { fa, read: async () => fa.toArray().data };
  }
  if (call === "hdf5" && path) {
    const group = (await hdf5.openFile(path)).get("ap") as Parameters<typeof hdf5.readArray>[0];
    return { fa: hdf5.readFlacArray(group), read: async () => hdf5.readArray(group).data };
  }
  if (call === "zarr" && path) {
    const group = zarr.openZarr(path).resolve("ap");
    return { fa: await zarr.readFlacArray(group), read: async () => (await zarr.readArray(group)).data };
  }
  throw new Error("usage: whole-read.ts toArray | hdf5 FILE | zarr STORE");
}

const { fa, read } = await prepare();
const starts = fa.streamStarts;
const streams = Array.from(fa.streamBytes, (n, i) => fa.compressed.subarray(Number(starts[i]), Number(starts[i]) + Number(n)));
const decoder = new FlacDecoder();
const out = new Int32Array(SAMPLES);
const rawDecode = async () => {
  for (const s of streams) decoder.decode(s, out, { totalSamples: SAMPLES });
};
const expected = fa.toArray({ keep: Array.from(fa.streamBytes, (_, i) => i === 0) }).data[0];
let first: unknown;
const wholeRead = async () => {
  first = (await read())[0]; // keeps the result alive until decoded
};
// one untimed run each, then REPEATS rounds taking turns, so that a slow spell falls on both
await rawDecode();
await wholeRead();
if (first !== expected) throw new Error(`${call}: the whole read gave another first sample`);
const rounds = Array.from({ length: REPEATS }, () => ({ raw: 0, read: 0 }));
for (const round of rounds) {
  round.raw = await timeAsync(rawDecode);
  round.read = await timeAsync(wholeRead);
}
const rawDecoderMBs = rawMB / median(rounds.map((r) => r.raw));
const readMBs = rawMB / median(rounds.map((r) => r.read));
const ratio = median(rounds.map((r) => r.raw / r.read));
console.log(JSON.stringify({ rawDecoderMBs, readMBs, ratio }));
