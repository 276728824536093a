/**
 * The `.ch` header: parsed and checked from any JSON Python (or older mtscomp versions) wrote,
 * and written exactly as mtscomp 1.0.2's `Writer.get_cmeta` + `json.dump` write it.
 */
import { type Dtype, isDtype, itemsize } from "./dtype.js";
import { HeaderError } from "./errors.js";
import { PythonFloat, type PythonJsonValue, pythonJson } from "./python-json.js";

/** Serialisation order of a chunk: "F" channel-major (the default), "C" sample-major. */
export type ChunkOrder = "F" | "C";

/** What a `.ch` header says, checked. */
export interface MtscompHeader {
  /** Sample type. */
  readonly dtype: Dtype;
  /** Number of channels (columns). */
  readonly nChannels: number;
  /** Samples per second. */
  readonly sampleRate: number;
  /** First sample of each chunk, then the number of samples. */
  readonly chunkBounds: readonly number[];
  /** Byte offset of each chunk in the `.cbin`, then its size. */
  readonly chunkOffsets: readonly number[];
  /** Serialisation order of each chunk. */
  readonly chunkOrder: ChunkOrder;
  /** Chunks hold time differences. */
  readonly doTimeDiff: boolean;
  /** Chunks hold channel differences (applied after the time differences). */
  readonly doSpatialDiff: boolean;
  /** Every key of the JSON as found, including ones this package does not use (`chopped`, ...). */
  readonly json: Readonly<Record<string, unknown>>;
}

/** Options of a new file, as recorded in its header. */
export interface HeaderFields {
  dtype: Dtype;
  nChannels: number;
  sampleRate: number;
  chunkBounds: number[];
  chunkOffsets: number[];
  chunkOrder: ChunkOrder;
  doTimeDiff: boolean;
  doSpatialDiff: boolean;
  compLevel: number;
  shape: number[];
  sha1Compressed: string;
  sha1Uncompressed: string;
}

/** The `.ch` text mtscomp 1.0.2 writes for these fields (keys sorted, `version` "1.0"). */
export function formatHeader(fields: HeaderFields): string {
  const json: Record<string, PythonJsonValue> = {
    algorithm: "zlib",
    chunk_bounds: fields.chunkBounds,
    chunk_offsets: fields.chunkOffsets,
    chunk_order: fields.chunkOrder,
    comp_level: fields.compLevel,
    do_spatial_diff: fields.doSpatialDiff,
    do_time_diff: fields.doTimeDiff,
    dtype: fields.dtype,
    n_channels: fields.nChannels,
    sample_rate: new PythonFloat(fields.sampleRate),
    sha1_compressed: fields.sha1Compressed,
    sha1_uncompressed: fields.sha1Uncompressed,
    shape: fields.shape,
    version: "1.0",
  };
  return pythonJson(json);
}

/**
 * Parses and checks a `.ch` header (its text, bytes or already-parsed object). Accepts every
 * version mtscomp wrote: legacy files without `chunk_order` are C-ordered, `do_diff` is the old
 * name of `do_time_diff`; unknown keys are kept in `json`.
 * @param file - the `.ch` name, for error messages
 */
export function parseHeader(source: string | Uint8Array | Record<string, unknown>, file: string): MtscompHeader {
  const json = toObject(source, file);
  const need = (key: string): unknown => {
    if (!(key in json)) throw new HeaderError(file, key, "missing key");
    return json[key];
  };
  const dtype = need("dtype");
  if (!isDtype(dtype)) throw new HeaderError(file, "dtype", `unsupported dtype ${JSON.stringify(dtype)}`);
  const nChannels = need("n_channels");
  if (!isCount(nChannels) || nChannels < 1)
    throw new HeaderError(file, "n_channels", `expected a positive integer, found ${JSON.stringify(nChannels)}`);
  const sampleRate = need("sample_rate");
  if (typeof sampleRate !== "number" || !(sampleRate > 0))
    throw new HeaderError(file, "sample_rate", `expected a positive number, found ${JSON.stringify(sampleRate)}`);
  const algorithm = json.algorithm ?? json.compression_algorithm ?? "zlib";
  if (algorithm !== "zlib")
    throw new HeaderError(file, "algorithm", `unsupported algorithm ${JSON.stringify(algorithm)} (expected "zlib")`);
  const chunkBounds = countList(need("chunk_bounds"), "chunk_bounds", file);
  const chunkOffsets = countList(need("chunk_offsets"), "chunk_offsets", file);
  checkIncreasing(chunkBounds, "chunk_bounds", file);
  checkIncreasing(chunkOffsets, "chunk_offsets", file);
  if (chunkOffsets.length !== chunkBounds.length) {
    throw new HeaderError(file, "chunk_offsets", `has ${chunkOffsets.length} entries but chunk_bounds has ${chunkBounds.length}`);
  }
  checkChunkSizes(chunkBounds, chunkOffsets, nChannels * itemsize(dtype), file);
  const chunkOrder = json.chunk_order ?? "C";
  if (chunkOrder !== "F" && chunkOrder !== "C")
    throw new HeaderError(file, "chunk_order", `expected "F" or "C", found ${JSON.stringify(chunkOrder)}`);
  const doTimeDiff = json.do_time_diff ?? json.do_diff;
  if (typeof doTimeDiff !== "boolean")
    throw new HeaderError(file, "do_time_diff", `expected true or false, found ${JSON.stringify(doTimeDiff)}`);
  const doSpatialDiff = json.do_spatial_diff ?? false;
  if (typeof doSpatialDiff !== "boolean")
    throw new HeaderError(file, "do_spatial_diff", `expected true or false, found ${JSON.stringify(doSpatialDiff)}`);
  return { dtype, nChannels, sampleRate, chunkBounds, chunkOffsets, chunkOrder, doTimeDiff, doSpatialDiff, json };
}

function toObject(source: string | Uint8Array | Record<string, unknown>, file: string): Record<string, unknown> {
  if (typeof source !== "string" && !(source instanceof Uint8Array)) return source;
  const text = typeof source === "string" ? source : new TextDecoder().decode(source);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new HeaderError(file, "", `not valid JSON (${(e as Error).message})`, { cause: e });
  }
  if (json === null || typeof json !== "object" || Array.isArray(json)) throw new HeaderError(file, "", "expected a JSON object");
  return json as Record<string, unknown>;
}

function isCount(x: unknown): x is number {
  return typeof x === "number" && Number.isSafeInteger(x) && x >= 0;
}

function countList(value: unknown, key: string, file: string): number[] {
  if (!Array.isArray(value) || value.length < 2 || !value.every(isCount)) {
    throw new HeaderError(file, key, `expected a list of at least 2 non-negative integers, found ${JSON.stringify(value).slice(0, 80)}`);
  }
  return value;
}

/** The most bytes a zlib stream of `n` bytes can inflate to: deflate's best ratio is 1032 to 1. */
export function maxInflatedBytes(n: number): number {
  return 1032 * n + 64;
}

/**
 * Checks that every chunk's declared size (rows x channels x itemsize) can come out of its
 * compressed bytes, before anything is allocated for it.
 */
function checkChunkSizes(bounds: number[], offsets: number[], rowBytes: number, file: string): void {
  for (let k = 0; k + 1 < bounds.length; k++) {
    const declared = (bounds[k + 1] - bounds[k]) * rowBytes;
    const compressed = offsets[k + 1] - offsets[k];
    if (!Number.isSafeInteger(declared) || declared > maxInflatedBytes(compressed)) {
      throw new HeaderError(
        file,
        "chunk_bounds",
        `chunk ${k} declares ${bounds[k + 1] - bounds[k]} rows of ${rowBytes} bytes (${declared} bytes), more than its ${compressed} compressed bytes can hold`,
      );
    }
  }
}

function checkIncreasing(list: number[], key: string, file: string): void {
  if (list[0] !== 0) throw new HeaderError(file, key, `must start at 0, found ${list[0]}`);
  for (let i = 1; i < list.length; i++) {
    if ((list[i] as number) <= (list[i - 1] as number)) {
      throw new HeaderError(file, key, `must increase: entry ${i} is ${list[i]} after ${list[i - 1]}`);
    }
  }
}
