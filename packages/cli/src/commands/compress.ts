/** `flacarray compress INPUT -o OUT.h5|OUT.zarr`: a raw recording or .cbin into a flacarray group. */
import { InvalidStreamError } from "@flacarray/core";
import { ordered, roundHalfEven } from "@flacarray/mtscomp";
import type { RecordingInfo, StoredRecording } from "@flacarray/recording";
import { decodeJob } from "../chunks.js";
import { cleanUpOnSignal, numberOf, type Parsed, parse, UsageError } from "../cli.js";
import { openInput, type RecordingInput } from "../input.js";
import { ChunkWorkers, defaultWorkers } from "../pool.js";
import { progressBar } from "../progress.js";
import { writeRecording } from "../store.js";

export const COMPRESS_USAGE = `usage: flacarray compress INPUT -o OUT.h5|OUT.zarr [-n CHANNELS -s RATE -d int16|int32] [--stream S]
       [--chunk-duration 1] [--level 5] [--workers N] [--no-verify] [-f|--force] [--json] [--quiet]

Compresses a raw interleaved recording (SpikeGLX .bin with its .meta, any int16/int32 file), an
Open Ephys binary recording (its structure.oebin or folder; --stream picks one of its streams)
or an mtscomp .cbin into a flacarray group of shape (chunks, channels, samples per chunk).
-n/-s/-d default to the SpikeGLX .meta beside INPUT (dtype int16); Open Ephys gives channels,
rate, bit_volts and channel names. The output appears only when complete and verified (decoded
and compared with the input chunk by chunk).`;

/** Options of {@link compressRecording}. */
export interface CompressOptions {
  chunkDuration: number;
  level: number;
  workers: number;
  verify: boolean;
  force: boolean;
  quiet: boolean;
}

/** The fastest recordings (Neuropixels: 30 kHz; some systems up to a few MHz). */
const MAX_SAMPLE_RATE = 1e8;
/** The most one time chunk (all channels, as int32) may take in a worker. */
const MAX_CHUNK_BYTES = 2 ** 30;

/** What a compression did. */
export interface CompressSummary {
  input: string;
  output: string;
  nSamples: number;
  nChannels: number;
  sampleRate: number;
  dtype: string;
  chunkSamples: number;
  rawBytes: number;
  compressedBytes: number;
  ratio: number;
  seconds: number;
  verified: boolean;
  peakRssMB: number;
}

/** Compresses an opened input into `output` (shared by compress and convert). */
export async function compressRecording(input: RecordingInput, output: string, o: CompressOptions): Promise<CompressSummary> {
  const { source, sampleRate } = input;
  if (!(sampleRate > 0 && sampleRate <= MAX_SAMPLE_RATE)) {
    throw new UsageError(`${source.name}: a sample rate of ${sampleRate} Hz; expected more than 0 and at most ${MAX_SAMPLE_RATE} (-s)`);
  }
  const chunkSamples = roundHalfEven(o.chunkDuration * sampleRate);
  const chunkBytes = chunkSamples * source.nChannels * 4;
  if (!(chunkSamples >= 1) || !(chunkBytes <= MAX_CHUNK_BYTES)) {
    throw new UsageError(
      `--chunk-duration ${o.chunkDuration} at ${sampleRate} Hz gives chunks of ${chunkSamples} samples x ${source.nChannels} channels; ` +
        `expected at least 1 sample and at most ${MAX_CHUNK_BYTES / 2 ** 20} MiB per chunk`,
    );
  }
  if (source.nSamples < 1) throw new UsageError(`${source.name}: the recording is empty`);
  const nChunks = Math.ceil(source.nSamples / chunkSamples);
  const rowBytes = source.nChannels * (source.dtype === "int16" ? 2 : 4);
  const info: RecordingInfo = {
    nSamples: source.nSamples,
    nChannels: source.nChannels,
    sampleRate,
    dtype: source.dtype,
    chunkSamples,
    meta: input.meta,
    bitVolts: input.bitVolts,
    channelNames: input.channelNames,
  };
  const started = performance.now();
  const pool = new ChunkWorkers(o.workers);
  cleanUpOnSignal([output]);
  try {
    const compressedBytes = await writeRecording(output, { force: o.force, chunkSamples, inputs: [source.name] }, async (writer) => {
      const hashes: string[] = [];
      const progress = progressBar("compressing", source.nSamples * rowBytes, o.quiet);
      const encoded = ordered(nChunks, o.workers + 1, async (k) => {
        const first = k * chunkSamples;
        const rows = await source.read(first, Math.min(chunkSamples, source.nSamples - first));
        return pool.encode({
          type: "encode",
          rows: rows as Int16Array | Int32Array,
          nChannels: source.nChannels,
          chunkSamples,
          level: o.level,
        });
      });
      let total = 0;
      let k = 0;
      for await (const chunk of encoded) {
        await writer.append(chunk.compressed, chunk.streamBytes);
        hashes.push(chunk.sha1);
        total += chunk.compressed.length;
        progress.update(Math.min(++k * chunkSamples, source.nSamples) * rowBytes);
      }
      progress.end();
      const stored = await writer.finish(info);
      if (o.verify) await verify(stored, info, hashes, pool, o);
      return total;
    });
    const rawBytes = source.nSamples * rowBytes;
    return {
      input: source.name,
      output,
      nSamples: source.nSamples,
      nChannels: source.nChannels,
      sampleRate,
      dtype: source.dtype,
      chunkSamples,
      rawBytes,
      compressedBytes,
      ratio: rawBytes / compressedBytes,
      seconds: (performance.now() - started) / 1000,
      verified: o.verify,
      peakRssMB: process.resourceUsage().maxRSS / 1024,
    };
  } finally {
    await pool.close();
    await source.close?.();
  }
}

/** Decodes every chunk of the written group and compares its hash with the input's. */
async function verify(
  stored: StoredRecording,
  info: RecordingInfo,
  hashes: string[],
  pool: ChunkWorkers,
  o: CompressOptions,
): Promise<void> {
  const all = Array.from({ length: info.nChannels }, (_, c) => c);
  const progress = progressBar("verifying  ", hashes.length, o.quiet);
  const decoded = ordered(hashes.length, o.workers + 1, async (k) => {
    const valid = Math.min(info.chunkSamples, info.nSamples - k * info.chunkSamples);
    return pool.decode(await decodeJob(stored, k, all, 0, valid, false));
  });
  let k = 0;
  for await (const { sha1 } of decoded) {
    if (sha1 !== hashes[k]) {
      throw new InvalidStreamError(
        `verification failed: time chunk ${k} (samples ${k * info.chunkSamples}...) decodes to other samples than the input`,
        k * info.nChannels,
        0,
        { path: stored.where },
      );
    }
    progress.update(++k);
  }
  progress.end();
}

/** Prints a summary, as text or JSON. */
export function report(summary: CompressSummary, json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    return;
  }
  const mb = summary.rawBytes / 1e6;
  process.stdout.write(
    `${summary.output}: ${summary.nSamples} samples x ${summary.nChannels} channels (${summary.dtype}, ${summary.sampleRate} Hz), ` +
      `${mb.toFixed(1)} MB -> ${(summary.compressedBytes / 1e6).toFixed(1)} MB, ratio ${summary.ratio.toFixed(3)}, ` +
      `${(mb / summary.seconds).toFixed(1)} MB/s${summary.verified ? ", verified" : ""}\n`,
  );
}

/** The options compress and convert share. */
export const COMPRESSION_FLAGS = {
  "chunk-duration": { type: "string" },
  level: { type: "string" },
  workers: { type: "string" },
  "no-verify": { type: "boolean" },
  force: { type: "boolean", short: "f" },
  json: { type: "boolean" },
  quiet: { type: "boolean" },
  debug: { type: "boolean" },
} as const;

/**
 * {@link CompressOptions} from parsed {@link COMPRESSION_FLAGS}, with the defaults filled in.
 * @throws {UsageError} for a level outside 0-8 or a value that is not a number
 */
export function compressOptionsOf(values: Parsed<typeof COMPRESSION_FLAGS>["values"]): CompressOptions {
  const level = numberOf(values.level, "--level", true) ?? 5;
  if (level < 0 || level > 8) throw new UsageError(`--level ${level}: expected 0 to 8`);
  return {
    chunkDuration: numberOf(values["chunk-duration"], "--chunk-duration") ?? 1,
    level,
    workers: numberOf(values.workers, "--workers", true) ?? defaultWorkers(),
    verify: !values["no-verify"],
    force: values.force ?? false,
    quiet: values.quiet ?? false,
  };
}

/** The compress command. */
export async function compressCommand(argv: string[]): Promise<void> {
  const flags = {
    output: { type: "string", short: "o" },
    channels: { type: "string", short: "n" },
    rate: { type: "string", short: "s" },
    dtype: { type: "string", short: "d" },
    stream: { type: "string" },
    ...COMPRESSION_FLAGS,
  } as const;
  const { values, positionals } = parse(argv, flags, COMPRESS_USAGE);
  const [input] = positionals;
  if (!input || positionals.length > 1 || !values.output) throw new UsageError(COMPRESS_USAGE);
  const opened = await openInput(input, {
    nChannels: numberOf(values.channels, "-n", true),
    sampleRate: numberOf(values.rate, "-s"),
    dtype: values.dtype,
    stream: values.stream,
  });
  const summary = await compressRecording(opened, values.output, compressOptionsOf(values));
  report(summary, values.json ?? false);
}
