/** `flacarray convert IN OUT`: an mtscomp .cbin into a flacarray recording (.h5/.zarr), and back. */
import { compress, type SampleSource } from "@flacarray/mtscomp/node";
import { windowRows } from "../chunks.js";
import { cleanUpOnSignal, numberOf, parse, UsageError } from "../cli.js";
import { openInput } from "../input.js";
import { defaultWorkers, WorkerPool } from "../pool.js";
import { progressBar } from "../progress.js";
import { containerOf } from "../store.js";
import { compressRecording, report } from "./compress.js";
import { openStoredRecording } from "./decompress.js";

export const CONVERT_USAGE = `usage: flacarray convert IN.cbin OUT.h5|OUT.zarr   or   flacarray convert IN.h5|IN.zarr OUT.cbin
       [--level 5] [--chunk-duration 1] [--workers N] [--no-verify] [--force] [--json] [--quiet]

Both directions keep every sample; the .ch of a .cbin is found (and written) beside it.`;

/** The convert command. */
export async function convertCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parse(
    argv,
    {
      level: { type: "string" },
      "chunk-duration": { type: "string" },
      workers: { type: "string" },
      "no-verify": { type: "boolean" },
      force: { type: "boolean" },
      json: { type: "boolean" },
      quiet: { type: "boolean" },
      debug: { type: "boolean" },
    },
    CONVERT_USAGE,
  );
  const [input, output] = positionals;
  if (!input || !output || positionals.length > 2) throw new UsageError(CONVERT_USAGE);
  const workers = numberOf(values.workers, "--workers", true) ?? defaultWorkers();
  const chunkDuration = numberOf(values["chunk-duration"], "--chunk-duration") ?? 1;
  if (/\.cbin$/i.test(input) && containerOf(output)) {
    const opened = await openInput(input, {});
    const summary = await compressRecording(opened, output, {
      chunkDuration,
      level: numberOf(values.level, "--level", true) ?? 5,
      workers,
      verify: !values["no-verify"],
      force: values.force ?? false,
      quiet: values.quiet ?? false,
    });
    report(summary, values.json ?? false);
  } else if (containerOf(input) && /\.cbin$/i.test(output)) {
    await toCbin(input, output, {
      workers,
      chunkDuration,
      check: !values["no-verify"],
      force: values.force ?? false,
      quiet: values.quiet ?? false,
      json: values.json ?? false,
    });
  } else throw new UsageError(`convert goes from .cbin to .h5/.zarr or from .h5/.zarr to .cbin\n${CONVERT_USAGE}`);
}

async function toCbin(
  input: string,
  output: string,
  o: { workers: number; chunkDuration: number; check: boolean; force: boolean; quiet: boolean; json: boolean },
): Promise<void> {
  const rec = await openStoredRecording(input);
  const { info } = rec;
  const pool = new WorkerPool(o.workers);
  const all = Array.from({ length: info.nChannels }, (_, c) => c);
  const source: SampleSource = {
    name: input,
    dtype: info.dtype,
    nSamples: info.nSamples,
    nChannels: info.nChannels,
    shape: [info.nSamples, info.nChannels],
    async read(first, count) {
      const out = info.dtype === "int16" ? new Int16Array(count * info.nChannels) : new Int32Array(count * info.nChannels);
      let at = 0;
      for await (const rows of windowRows(rec, { start: first, stop: first + count, channels: all }, pool, 2)) {
        out.set(rows as never, at);
        at += rows.length;
      }
      return out;
    },
  };
  cleanUpOnSignal([output, output.replace(/\.cbin$/i, ".ch")]);
  const started = performance.now();
  const progress = progressBar("converting", 1, o.quiet);
  try {
    const result = await compress(source, output, undefined, {
      sampleRate: info.sampleRate,
      chunkDuration: o.chunkDuration,
      workers: o.workers,
      check: o.check,
      overwrite: o.force,
      onProgress: (done, total) => progress.update(done / total),
    });
    progress.end();
    const summary = {
      input,
      output,
      rawBytes: result.rawBytes,
      compressedBytes: result.compressedBytes,
      ratio: result.ratio,
      seconds: (performance.now() - started) / 1000,
    };
    if (o.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
    else
      process.stdout.write(
        `${output}: ${(result.rawBytes / 1e6).toFixed(1)} MB -> ${(result.compressedBytes / 1e6).toFixed(1)} MB (mtscomp ratio ${result.ratio.toFixed(3)})\n`,
      );
  } finally {
    await pool.close();
    await rec.close();
  }
}
