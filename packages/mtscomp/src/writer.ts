/**
 * Compression as mtscomp 1.0.2's `Writer.write` does it: chunks of `chunkDuration` seconds, each
 * time-differenced (and optionally channel-differenced), serialised, zlib-compressed and written
 * back to back; the `.ch` records bounds, offsets and the SHA-1s of the raw and compressed bytes.
 * Several chunks are compressed at once; the output does not depend on how many.
 */
import type { Backend } from "./backend.js";
import { encodeChunk } from "./chunk-codec.js";
import { chunkBounds } from "./chunking.js";
import { bytesOf, type Dtype, isDtype, isFloat, itemsize, lanesOf, type SampleArray } from "./dtype.js";
import { CheckFailedError, InputError } from "./errors.js";
import { type ChunkOrder, formatHeader } from "./header.js";
import { ordered } from "./ordered.js";
import type { Reader } from "./reader.js";

/** Options of compression, named as the issue and Python name them. */
export interface CompressOptions {
  /** Samples per second (required). */
  sampleRate: number;
  /** Channels (columns): required for raw files, taken from the shape for arrays. */
  nChannels?: number;
  /** Sample type: required for raw files, taken from the array otherwise. */
  dtype?: Dtype;
  /** Seconds per chunk (default 1). */
  chunkDuration?: number;
  /** Store time differences (default true). */
  doTimeDiff?: boolean;
  /** Store channel differences (default false). */
  doSpatialDiff?: boolean;
  /** Chunk serialisation order (default "F", channel-major). */
  chunkOrder?: ChunkOrder;
  /**
   * zlib level (default -1, zlib's default 6) recorded as `comp_level`. Python records it but
   * always compresses at 6; we apply it.
   */
  compLevel?: number;
  /** Chunks compressed at once (default 4). */
  workers?: number;
  /** Decompress what was written and compare it with the source (default true, as in Python). */
  check?: boolean;
  /** Called after each chunk with the chunks done and the total. */
  onProgress?: (done: number, total: number) => void;
}

/** Samples to compress: C-order rows read on demand. */
export interface SampleSource {
  /** The file name, or "input array", for messages. */
  readonly name: string;
  readonly dtype: Dtype;
  readonly nSamples: number;
  readonly nChannels: number;
  /** The shape recorded in the header (the input array's, N-d allowed). */
  readonly shape: number[];
  /** `count` rows from row `first`, C order. */
  read(first: number, count: number): Promise<SampleArray>;
  /** Releases what the source holds (a file handle). */
  close?(): Promise<void>;
}

/** What a compression produced. */
export interface CompressResult {
  /** The `.ch` text. */
  header: string;
  /** Bytes of raw samples. */
  rawBytes: number;
  /** Bytes of the `.cbin`. */
  compressedBytes: number;
  /** rawBytes / compressedBytes. */
  ratio: number;
}

/** The options with Python's defaults filled in, checked against the source. */
export function resolveOptions(source: Pick<SampleSource, "name">, options: CompressOptions) {
  const resolved = {
    chunkDuration: options.chunkDuration ?? 1,
    doTimeDiff: options.doTimeDiff ?? true,
    doSpatialDiff: options.doSpatialDiff ?? false,
    chunkOrder: options.chunkOrder ?? "F",
    compLevel: options.compLevel ?? -1,
    workers: options.workers ?? 4,
    check: options.check ?? true,
  };
  if (!(options.sampleRate > 0))
    throw new InputError(source.name, `sampleRate must be a positive number (mtscomp -s), found ${options.sampleRate}`);
  if (resolved.chunkOrder !== "F" && resolved.chunkOrder !== "C")
    throw new InputError(source.name, `chunkOrder must be "F" or "C", found ${resolved.chunkOrder}`);
  if (!Number.isInteger(resolved.compLevel) || resolved.compLevel < -1 || resolved.compLevel > 9) {
    throw new InputError(source.name, `compLevel must be an integer from -1 to 9, found ${resolved.compLevel}`);
  }
  if (options.dtype !== undefined && !isDtype(options.dtype))
    throw new InputError(source.name, `unsupported dtype ${JSON.stringify(options.dtype)}`);
  return resolved;
}

/**
 * Compresses `source`, handing each compressed chunk to `write` in order, and returns the
 * header and sizes. Does not check: see {@link checkCompressed}.
 */
export async function compressChunks(
  source: SampleSource,
  options: CompressOptions,
  backend: Backend,
  write: (stream: Uint8Array) => Promise<void>,
): Promise<CompressResult> {
  const o = resolveOptions(source, options);
  if (source.nSamples < 1 || source.nChannels < 1) {
    throw new InputError(source.name, `nothing to compress: ${source.nSamples} samples x ${source.nChannels} channels`);
  }
  const bounds = chunkBounds(source.nSamples, options.sampleRate, o.chunkDuration, source.name);
  const transform = { ...o, dtype: source.dtype, nChannels: source.nChannels };
  const rawHash = backend.sha1();
  const cbinHash = backend.sha1();
  const offsets = [0];
  const nChunks = bounds.length - 1;
  const chunks = ordered(nChunks, o.workers, async (k) => {
    const first = bounds[k] as number;
    const rows = (bounds[k + 1] as number) - first;
    const raw = await source.read(first, rows);
    return { raw, stream: await backend.deflate(encodeChunk(transform, raw, rows), o.compLevel) };
  });
  for await (const { raw, stream } of chunks) {
    await write(stream);
    rawHash.update(bytesOf(raw));
    cbinHash.update(stream);
    offsets.push((offsets.at(-1) as number) + stream.length);
    options.onProgress?.(offsets.length - 1, nChunks);
  }
  const header = formatHeader({
    ...transform,
    sampleRate: options.sampleRate,
    chunkBounds: bounds,
    chunkOffsets: offsets,
    shape: source.shape,
    sha1Compressed: cbinHash.hex(),
    sha1Uncompressed: rawHash.hex(),
  });
  const rawBytes = source.nSamples * source.nChannels * itemsize(source.dtype);
  const compressedBytes = offsets.at(-1) as number;
  return { header, rawBytes, compressedBytes, ratio: rawBytes / compressedBytes };
}

/**
 * Python's check after compression: every chunk of `reader` must equal the source's samples
 * (integers exactly; floats within numpy's `allclose(atol=1e-16, rtol=1e-5)`, as Python allows).
 */
export async function checkCompressed(
  reader: Reader,
  source: SampleSource,
  concurrency: number,
  onProgress?: (done: number, total: number) => void,
): Promise<void> {
  for await (const chunk of reader.chunks({ concurrency })) {
    const expected = await source.read(chunk.firstRow, chunk.rows);
    const at = firstDifference(reader.dtype, chunk.data, expected);
    if (at >= 0) {
      const row = chunk.firstRow + Math.floor(at / reader.nChannels);
      throw new CheckFailedError(
        reader.name,
        chunk.index,
        `sample ${row}, channel ${at % reader.nChannels}: decoded ${chunk.data[at]}, source ${expected[at]}`,
      );
    }
    onProgress?.(chunk.index + 1, reader.nChunks);
  }
}

/** Index of the first sample where `found` differs from `expected` (floats: allclose), or -1. */
export function firstDifference(dtype: Dtype, found: SampleArray, expected: SampleArray): number {
  if (!isFloat(dtype)) {
    const a = lanesOf(dtype, found);
    const b = lanesOf(dtype, expected);
    const perSample = a.length / found.length;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return Math.floor(i / perSample);
    return -1;
  }
  const a = found as Float32Array | Float64Array;
  const b = expected as Float32Array | Float64Array;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    if (x === y) continue;
    if (!(Math.abs(x - y) <= 1e-16 + 1e-5 * Math.abs(y))) return i;
  }
  return -1;
}
