/**
 * `flacarray decompress IN -o OUT`: a recording (or a window of it) back to raw interleaved
 * samples, or any other flacarray group (Python's among them) back to its array.
 */
import { open } from "node:fs/promises";
import { InvalidArgumentError } from "@flacarray/core";
import { writeOutputs } from "@flacarray/core/node";
import { openFlacarrayGroup as openRecording, type RecordingInfo, type StoredRecording } from "@flacarray/recording/node";
import { windowRows } from "../chunks.js";
import { channelsOf, cleanUpOnSignal, numberOf, parse, reportLeftover, samplesOf, UsageError } from "../cli.js";
import { type NpyDtype, npyHeader } from "../npy.js";
import { ChunkWorkers, defaultWorkers } from "../pool.js";
import { progressBar } from "../progress.js";
import { readGroupArray, sampleRateOf } from "./group-array.js";

export const DECOMPRESS_USAGE = `usage: flacarray decompress IN.h5|IN.zarr|URL -o OUT.bin|OUT.npy|- [--group PATH] [--channels 0:10]
       [--start 10s] [--duration 1s] [--workers N] [-f|--force] [--json] [--quiet]

Writes the recording (or a window: channels as 0:10, 3,5,7; times as 10s, 500ms or samples)
as interleaved raw samples of its original dtype: a raw file, a .npy file of shape
(samples, channels) that numpy loads, or stdout with -o - (the summary then goes to stderr).
Any other flacarray group (Python's too): a 2-D integer group (channels, samples) is written
the same way; any other array whole, in C order (.npy keeps its shape and dtype).
IN may be the http(s) URL of a Zarr store.`;

/** Opens a recording written by `flacarray compress`, or says why it is not one. */
export async function openStoredRecording(path: string, group = "/"): Promise<StoredRecording & { info: RecordingInfo }> {
  const rec = await openRecording(path, group);
  if (!rec.info) {
    await rec.close();
    throw new InvalidArgumentError(
      `${rec.where}: a flacarray group but not a recording (no recording_n_samples attribute); decompress reads it whole`,
    );
  }
  return rec as StoredRecording & { info: RecordingInfo };
}

/** Samples `[start, stop)` of `--start`/`--duration`, checked against the recording; times in s or ms need the sample rate. */
function sampleWindow(values: { start?: string; duration?: string }, nSamples: number, sampleRate: number | undefined): [number, number] {
  const samples = (value: string, what: string) => {
    if (sampleRate === undefined && /s$/.test(value.trim()))
      throw new UsageError(`${what} ${value}: the sample rate is unknown; give a sample count`);
    return samplesOf(value, sampleRate ?? 1, what);
  };
  const seconds = (n: number) => (sampleRate ? ` (${(n / sampleRate).toFixed(3)} s)` : "");
  const start = values.start ? samples(values.start, "--start") : 0;
  if (start >= nSamples) throw new UsageError(`--start ${values.start}: the recording has ${nSamples} samples${seconds(nSamples)}`);
  const stop = values.duration ? start + samples(values.duration, "--duration") : nSamples;
  if (stop <= start) throw new UsageError(`--duration ${values.duration}: the window must hold at least one sample`);
  if (stop > nSamples) {
    throw new UsageError(
      `--start ${values.start ?? 0} --duration ${values.duration}: the window ends at sample ${stop}${seconds(stop)}, ` +
        `but the recording has ${nSamples} samples${seconds(nSamples)}`,
    );
  }
  return [start, stop];
}

/** What a sample writer needs to know about its output. */
interface SampleOutput {
  path: string;
  input: string;
  force: boolean;
  quiet: boolean;
  dtype: NpyDtype;
  /** Shape of the whole output, for the `.npy` header. */
  shape: number[];
  bytes: number;
}

/**
 * Writes samples to a raw file, a `.npy` file (header first) or stdout (`-`): `produce` hands over
 * the bytes in order. Files are written safely (lock, temporary name, rename).
 */
async function writeSamples(out: SampleOutput, produce: (write: (bytes: Uint8Array) => Promise<unknown>) => Promise<void>): Promise<void> {
  const toStdout = out.path === "-";
  const writeAll = async (write: (bytes: Uint8Array) => Promise<unknown>) => {
    if (/\.npy$/i.test(out.path)) await write(npyHeader(out.dtype, out.shape));
    const progress = progressBar("decompressing", out.bytes, out.quiet || toStdout);
    let done = 0;
    try {
      await produce(async (bytes) => {
        await write(bytes);
        done += bytes.length;
        progress.update(done);
      });
    } finally {
      progress.end();
    }
  };
  if (toStdout) {
    await writeAll(
      (bytes) => new Promise((resolve) => (process.stdout.write(bytes) ? resolve(undefined) : process.stdout.once("drain", resolve))),
    );
    return;
  }
  cleanUpOnSignal([out.path]);
  await writeOutputs(
    [out.path],
    async ([temporary]) => {
      const file = await open(temporary as string, "w");
      try {
        await writeAll((bytes) => file.write(bytes));
      } finally {
        await file.close();
      }
    },
    { force: out.force, inputs: [out.input], onLeftover: reportLeftover },
  );
}

const bytesOf = (v: ArrayBufferView) => new Uint8Array(v.buffer, v.byteOffset, v.byteLength);

/** The decompress command. */
export async function decompressCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parse(
    argv,
    {
      output: { type: "string", short: "o" },
      group: { type: "string" },
      channels: { type: "string" },
      start: { type: "string" },
      duration: { type: "string" },
      workers: { type: "string" },
      force: { type: "boolean", short: "f" },
      json: { type: "boolean" },
      quiet: { type: "boolean" },
      debug: { type: "boolean" },
    },
    DECOMPRESS_USAGE,
  );
  const [input] = positionals;
  if (!input || positionals.length > 1 || !values.output) throw new UsageError(DECOMPRESS_USAGE);
  const started = performance.now();
  const rec = await openRecording(input, values.group ?? "/");
  const common = { path: values.output, input, force: values.force ?? false, quiet: values.quiet ?? false };
  let summary: { start: number; stop: number; channels: number; bytes: number };
  try {
    if (rec.info) {
      const info = rec.info;
      const [start, stop] = sampleWindow(values, info.nSamples, info.sampleRate);
      const channels = channelsOf(values.channels, info.nChannels);
      const workers = numberOf(values.workers, "--workers", true) ?? defaultWorkers();
      const bytes = (stop - start) * channels.length * (info.dtype === "int16" ? 2 : 4);
      const pool = new ChunkWorkers(workers);
      try {
        await writeSamples({ ...common, dtype: info.dtype, shape: [stop - start, channels.length], bytes }, async (write) => {
          for await (const rows of windowRows(
            rec as StoredRecording & { info: RecordingInfo },
            { start, stop, channels },
            pool,
            workers + 1,
          )) {
            await write(bytesOf(rows));
          }
        });
      } finally {
        await pool.close();
      }
      summary = { start, stop, channels: channels.length, bytes };
    } else {
      const { layout } = rec;
      const channelsBySamples = layout.leadingShape.length === 1 && (layout.dtype === "int32" || layout.dtype === "int64");
      if (!channelsBySamples && (values.channels || values.start || values.duration)) {
        throw new UsageError(
          `${rec.where}: --channels, --start and --duration take a 2-D integer group (channels, samples); this one is read whole`,
        );
      }
      const nChannels = layout.leadingShape[0] as number;
      const [start, stop] = channelsBySamples ? sampleWindow(values, layout.streamSize, sampleRateOf(rec.attrs)) : [0, layout.streamSize];
      const channels = channelsBySamples ? channelsOf(values.channels, nChannels) : [];
      const array = await readGroupArray(rec, channelsBySamples ? { channels, start, stop } : undefined);
      await writeSamples({ ...common, dtype: layout.dtype, shape: array.shape, bytes: array.data.byteLength }, (write) =>
        write(bytesOf(array.data)).then(() => undefined),
      );
      summary = { start, stop, channels: channelsBySamples ? channels.length : 0, bytes: array.data.byteLength };
    }
  } finally {
    await rec.close();
  }
  const seconds = (performance.now() - started) / 1000;
  const report = { input, output: values.output, ...summary, seconds, peakRssMB: process.resourceUsage().maxRSS / 1024 };
  // with the samples on stdout, the summary goes to stderr
  const stream = values.output === "-" ? process.stderr : process.stdout;
  if (values.json) stream.write(`${JSON.stringify(report)}\n`);
  else
    stream.write(
      `${values.output}: samples ${summary.start}-${summary.stop}${summary.channels ? ` of ${summary.channels} channels` : ""}, ${(summary.bytes / 1e6).toFixed(1)} MB, ${(summary.bytes / 1e6 / seconds).toFixed(1)} MB/s\n`,
    );
}
