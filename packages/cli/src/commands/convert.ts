/** `flacarray convert IN OUT`: an mtscomp .cbin into a flacarray recording (.h5/.zarr), and back. */
import { compress, type SampleSource } from "@flacarray/mtscomp/node";
import { containerOf } from "@flacarray/recording/node";
import { windowRows } from "../chunks.js";
import { cleanUpOnSignal, parse, UsageError } from "../cli.js";
import { openInput } from "../input.js";
import { ChunkWorkers } from "../pool.js";
import { progressBar } from "../progress.js";
import { COMPRESSION_FLAGS, type CompressOptions, compressOptionsOf, compressRecording, report } from "./compress.js";
import { openStoredRecording } from "./decompress.js";

export const CONVERT_USAGE = `usage: flacarray convert IN.cbin OUT.h5|OUT.zarr   or   flacarray convert IN.h5|IN.zarr OUT.cbin
       [--level 5] [--chunk-duration 1] [--workers N] [--no-verify] [-f|--force] [--json] [--quiet]

Both directions keep every sample; the .ch of a .cbin is found (and written) beside it.`;

/** The convert command. */
export async function convertCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parse(argv, COMPRESSION_FLAGS, CONVERT_USAGE);
  const [input, output] = positionals;
  if (!input || !output || positionals.length > 2) throw new UsageError(CONVERT_USAGE);
  const options = compressOptionsOf(values);
  if (/\.cbin$/i.test(input) && containerOf(output)) {
    const summary = await compressRecording(await openInput(input, {}), output, options);
    report(summary, values.json ?? false);
  } else if (containerOf(input) && /\.cbin$/i.test(output)) {
    await toCbin(input, output, { ...options, json: values.json ?? false });
  } else throw new UsageError(`convert goes from .cbin to .h5/.zarr or from .h5/.zarr to .cbin\n${CONVERT_USAGE}`);
}

async function toCbin(input: string, output: string, o: CompressOptions & { json: boolean }): Promise<void> {
  const rec = await openStoredRecording(input);
  const { info } = rec;
  const pool = new ChunkWorkers(o.workers);
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
      check: o.verify,
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
