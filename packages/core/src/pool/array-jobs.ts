/**
 * The jobs FlacArray sends to workers: compressing a batch of streams, laying compressed parts
 * into a result, and decoding one byte range of stored streams into its part of a result. Each
 * is the same code the synchronous methods run, so results are identical whatever the number of
 * workers.
 */
import { type CompressedRun, compressStreamRun } from "../compress.js";
import type { DataType, TypedArray } from "../dtypes.js";
import { InvalidStreamError } from "../errors.js";
import { type DecodeOptions, FlacDecoder } from "../flac/decoder.js";
import { readStreamInfo, type StreamInfo } from "../flac/metadata.js";
import { interleaveStreams, type RowsTarget } from "../interleave.js";
import type { StoredLayout } from "../layout.js";
import type { PreparedArray } from "../prepare-array.js";
import { allocateResult, decodeRange, type ReadPlan } from "../read-plan.js";
import { type JobOutput, serializeError } from "./serve-jobs.js";
import { isShared } from "./shared-memory.js";
import type { SerializedError } from "./worker-pool.js";

/**
 * Compress streams `[firstStream, firstStream + nstreams)` of a prepared array: their integers
 * (a view of shared memory, or a copy moved to the worker) and the compression settings.
 */
export interface EncodeStreamsInput extends Pick<PreparedArray, "ints" | "nstreams" | "streamSize" | "channels" | "level" | "verify"> {
  /** Index of the first stream in the whole array (for error messages). */
  firstStream: number;
}

/** Compresses a batch of streams (see {@link compressStreamRun}). */
export function encodeStreams(input: EncodeStreamsInput): JobOutput<CompressedRun> {
  const { ints, nstreams, streamSize, channels, level, verify, firstStream } = input;
  const value = compressStreamRun(ints, nstreams, streamSize, channels, level, verify, firstStream);
  return {
    value,
    transfer: [value.compressed.buffer as ArrayBuffer, value.starts.buffer as ArrayBuffer, value.bytes.buffer as ArrayBuffer],
  };
}

/**
 * Decode samples `[first, last)` of some streams, which lie one after another in `bytes`. The
 * layout holds only these streams' tables (stream k of the job is `layout.starts[k]`...), so a
 * job's message stays small however many streams the group has; `ids` gives their indices in the
 * group, for error messages.
 */
export interface DecodeStreamsInput {
  layout: StoredLayout;
  ids: number[];
  first: number;
  last: number;
  /** The streams' bytes: `compressed[start, end)`. */
  bytes: Uint8Array;
  start: number;
  /** Where to decode: a view of shared memory, `ids.length * (last - first)` values; without it, a new array is returned. */
  out?: TypedArray<DataType>;
  /**
   * Instead, lay the int32 samples out as columns of time-major rows: into `rows.out` where it is
   * shared memory, else into a new `(last - first) x ids.length` array that is returned.
   */
  rows?: RowsTarget;
  /** File and group, for error messages. */
  path?: string;
}

/** Decodes contiguous streams into `out`, or into a new array of the layout's dtype that is returned. */
export function decodeStreams(input: DecodeStreamsInput): JobOutput<TypedArray<DataType> | Int16Array | null> {
  const { layout, ids, first, last, bytes, start, out, rows, path } = input;
  const streams = ids.map((_, k) => k);
  const plan: ReadPlan = { layout, streams, first, last, shape: [streams.length, last - first], ranges: [], dtype: layout.dtype };
  const data = out ?? (rows ? scratchInts(ids.length * (last - first)) : allocateResult(plan));
  try {
    decodeRange(plan, { start, end: start + bytes.length, from: 0, to: streams.length }, bytes, data, path);
  } catch (err) {
    if (err instanceof InvalidStreamError) {
      throw new InvalidStreamError(err.reason, ids[err.stream] ?? err.stream, err.byteOffset, { path: err.path, cause: err });
    }
    throw err;
  }
  if (rows) {
    const m = last - first;
    if (isShared(rows.out)) {
      interleaveStreams(data as Int32Array, ids.length, m, rows);
      return { value: null };
    }
    const own = new (rows.out instanceof Int16Array ? Int16Array : Int32Array)(m * ids.length);
    interleaveStreams(data as Int32Array, ids.length, m, { out: own, width: ids.length, column: 0, row: 0 });
    return { value: own, transfer: [own.buffer as ArrayBuffer] };
  }
  return out ? { value: null } : { value: data, transfer: [data.buffer as ArrayBuffer] };
}

let scratch = new Int32Array(0);

/**
 * A reused int32 buffer of `length` values for decoding before interleaving: a worker runs one
 * job at a time, and fresh memory for every job costs more in page faults than the decoding.
 */
export function scratchInts(length: number): Int32Array {
  if (scratch.length < length) scratch = new Int32Array(length);
  return scratch.subarray(0, length);
}

/** The stream tables of `ids` only, renumbered from 0 (see {@link DecodeStreamsInput}). */
export function layoutOf(layout: StoredLayout, ids: readonly number[]): StoredLayout {
  const pick = <T extends Float32Array | Float64Array | BigInt64Array>(table: T): T => {
    const out = new (table.constructor as new (n: number) => T)(ids.length);
    ids.forEach((id, k) => {
      out[k] = table[id] as never;
    });
    return out;
  };
  return {
    ...layout,
    starts: pick(layout.starts),
    bytes: pick(layout.bytes),
    offsets: layout.offsets && pick(layout.offsets),
    gains: layout.gains && pick(layout.gains),
  };
}

/**
 * Decode samples `[start, stop)` of one FLAC stream from `bytes`: the whole stream, or (with
 * `info`, the stream's STREAMINFO) a part of it, as {@link FlacDecoder.decodePart} takes.
 */
export interface DecodeWindowInput {
  bytes: Uint8Array;
  info?: StreamInfo;
  options: DecodeOptions & Partial<Parameters<FlacDecoder["decodePart"]>[3]> & { start: number; stop: number };
  /** Shared memory to decode into, at `options.outOffset` (nothing is returned then). */
  out?: Int32Array;
}

let windowDecoder: FlacDecoder | undefined;

/**
 * Decodes a window of one stream (channels interleaved) into the shared `out` it is given, or
 * into a new array, returned.
 */
export function decodeWindow(input: DecodeWindowInput): JobOutput<Int32Array | null> {
  const { bytes, info, options } = input;
  const channels = (info ?? readStreamInfo(bytes, options.stream ?? -1)).channels;
  const out = input.out ?? new Int32Array((options.stop - options.start) * channels);
  windowDecoder ??= new FlacDecoder();
  const at = input.out ? options : { ...options, outOffset: 0 };
  if (info) windowDecoder.decodePart(bytes, info, out, at as Parameters<FlacDecoder["decodePart"]>[3]);
  else windowDecoder.decode(bytes, out, at);
  return input.out ? { value: null } : { value: out, transfer: [out.buffer as ArrayBuffer] };
}

/**
 * Decodes several windows into the shared memory each names, as {@link decodeWindow}: one
 * message for many (each message costs the calling thread more than decoding a short window).
 * A window that fails does not stop the others; its error is returned in its place.
 */
export function decodeWindows(input: { items: DecodeWindowInput[] }): JobOutput<(SerializedError | null)[]> {
  return {
    value: input.items.map((item) => {
      try {
        decodeWindow(item);
        return null;
      } catch (err) {
        return serializeError(err);
      }
    }),
  };
}

/** Samples `[first, last)` of `n` channel-major streams of `m` samples, laid out as rows (both in shared memory). */
export interface InterleaveInput {
  from: Int32Array;
  n: number;
  m: number;
  rows: RowsTarget;
  first: number;
  last: number;
}

/** Lays samples `[first, last)` of shared channel-major streams out as rows of shared memory ({@link interleaveStreams}). */
export function interleaveRows({ from, n, m, rows, first, last }: InterleaveInput): JobOutput<null> {
  interleaveStreams(from, n, m, rows, first, last);
  return { value: null };
}

/** Parts to lay end to end into `out`, exactly as long as they are together. */
export interface JoinPartsInput {
  parts: Uint8Array[];
  out: Uint8Array;
}

/**
 * Lays parts end to end into `out`: on a worker, one share of a result in shared memory (the
 * copying, and the touching of its fresh memory).
 */
export function joinParts({ parts, out }: JoinPartsInput): JobOutput<null> {
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return { value: null };
}

/** The functions of every flacarray worker. */
export const ARRAY_JOBS = { joinParts, encodeStreams, decodeStreams, decodeWindow, decodeWindows, interleaveRows };
