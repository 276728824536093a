/** `flacarray decompress IN -o OUT.bin`: a recording (or a window of it) back to raw interleaved bytes. */
import { open } from "node:fs/promises";
import { InvalidArgumentError } from "@flacarray/core";
import { writeOutputs } from "@flacarray/core/node";
import { windowRows } from "../chunks.js";
import { channelsOf, cleanUpOnSignal, numberOf, parse, reportLeftover, samplesOf, UsageError } from "../cli.js";
import { npyHeader } from "../npy.js";
import { defaultWorkers, WorkerPool } from "../pool.js";
import { progressBar } from "../progress.js";
import type { RecordingInfo } from "../recording.js";
import { openRecording, type StoredRecording } from "../store.js";

export const DECOMPRESS_USAGE = `usage: flacarray decompress IN.h5|IN.zarr|URL -o OUT.bin|OUT.npy|- [--channels 0:10] [--start 10s] [--duration 1s]
       [--workers N] [-f|--force] [--json] [--quiet]

Writes the recording (or a window: channels as 0:10, 3,5,7; times as 10s, 500ms or samples)
as interleaved raw samples of its original dtype: a raw file, a .npy file of shape
(samples, channels) that numpy loads, or stdout with -o - (the summary then goes to stderr).
IN may be the http(s) URL of a Zarr store.`;

/** Opens a recording written by `flacarray compress`, or says why it is not one. */
export async function openStoredRecording(path: string): Promise<StoredRecording & { info: RecordingInfo }> {
  const rec = await openRecording(path);
  if (!rec.info) {
    await rec.close();
    throw new InvalidArgumentError(
      `${rec.where}: a flacarray group but not a recording (no recording_n_samples attribute); read it with readArray`,
    );
  }
  return rec as StoredRecording & { info: RecordingInfo };
}

/** The decompress command. */
export async function decompressCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parse(
    argv,
    {
      output: { type: "string", short: "o" },
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
  const rec = await openStoredRecording(input);
  const { info } = rec;
  const start = values.start ? samplesOf(values.start, info.sampleRate, "--start") : 0;
  if (start >= info.nSamples)
    throw new UsageError(
      `--start ${values.start}: the recording has ${info.nSamples} samples (${(info.nSamples / info.sampleRate).toFixed(3)} s)`,
    );
  const stop = values.duration ? start + samplesOf(values.duration, info.sampleRate, "--duration") : info.nSamples;
  if (stop <= start) throw new UsageError(`--duration ${values.duration}: the window must hold at least one sample`);
  if (stop > info.nSamples) {
    const seconds = (n: number) => `${(n / info.sampleRate).toFixed(3)} s`;
    throw new UsageError(
      `--start ${values.start ?? 0} --duration ${values.duration}: the window ends at sample ${stop} (${seconds(stop)}), ` +
        `but the recording has ${info.nSamples} samples (${seconds(info.nSamples)})`,
    );
  }
  const channels = channelsOf(values.channels, info.nChannels);
  const workers = numberOf(values.workers, "--workers", true) ?? defaultWorkers();
  const started = performance.now();
  const pool = new WorkerPool(workers);
  const output = values.output;
  const toStdout = output === "-";
  const rowBytes = channels.length * (info.dtype === "int16" ? 2 : 4);
  /** The header (for .npy), then the rows, to `write`. */
  const writeAll = async (write: (bytes: Uint8Array) => Promise<unknown>) => {
    if (/\.npy$/i.test(output)) await write(npyHeader(info.dtype, [stop - start, channels.length]));
    const progress = progressBar("decompressing", (stop - start) * rowBytes, values.quiet || toStdout);
    let done = 0;
    try {
      for await (const rows of windowRows(rec, { start, stop, channels }, pool, workers + 1)) {
        await write(new Uint8Array(rows.buffer, rows.byteOffset, rows.byteLength));
        done += rows.byteLength;
        progress.update(done);
      }
    } finally {
      progress.end();
    }
  };
  if (!toStdout) cleanUpOnSignal([output]);
  try {
    if (toStdout)
      await writeAll(
        (bytes) => new Promise((resolve) => (process.stdout.write(bytes) ? resolve(undefined) : process.stdout.once("drain", resolve))),
      );
    else {
      await writeOutputs(
        [output],
        async ([temporary]) => {
          const file = await open(temporary as string, "w");
          try {
            await writeAll((bytes) => file.write(bytes));
          } finally {
            await file.close();
          }
        },
        { force: values.force ?? false, inputs: [input], onLeftover: reportLeftover },
      );
    }
  } finally {
    await pool.close();
    await rec.close();
  }
  const seconds = (performance.now() - started) / 1000;
  const summary = {
    input,
    output,
    start,
    stop,
    channels: channels.length,
    bytes: (stop - start) * rowBytes,
    seconds,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
  };
  // with the samples on stdout, the summary goes to stderr
  const report = toStdout ? process.stderr : process.stdout;
  if (values.json) report.write(`${JSON.stringify(summary)}\n`);
  else
    report.write(
      `${output}: samples ${start}-${stop} of ${channels.length} channels, ${(summary.bytes / 1e6).toFixed(1)} MB, ${(summary.bytes / 1e6 / seconds).toFixed(1)} MB/s\n`,
    );
}
