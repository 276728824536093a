/**
 * The jobs FlacArray sends to workers: compressing a batch of streams, and decoding one byte
 * range of stored streams into its part of a result. Each is the same code the synchronous
 * methods run, so results are identical whatever the number of workers.
 */
import { type CompressedStreams, compressStreams } from "../compress.js";
import type { DataType, TypedArray } from "../dtypes.js";
import type { StoredLayout } from "../layout.js";
import type { PreparedArray } from "../prepare-array.js";
import { allocateResult, decodeRange, type ReadPlan } from "../read-plan.js";
import type { JobOutput } from "./serve-jobs.js";

/**
 * Compress streams `[firstStream, firstStream + nstreams)` of a prepared array: their integers
 * (a view of shared memory, or a copy moved to the worker) and the compression settings.
 */
export interface EncodeStreamsInput extends Pick<PreparedArray, "ints" | "nstreams" | "streamSize" | "channels" | "level" | "verify"> {
  /** Index of the first stream in the whole array (for error messages). */
  firstStream: number;
}

/** Compresses a batch of streams (see {@link compressStreams}). */
export function encodeStreams(input: EncodeStreamsInput): JobOutput<CompressedStreams> {
  const { ints, nstreams, streamSize, channels, level, verify, firstStream } = input;
  const value = compressStreams(ints, nstreams, streamSize, channels, level, verify, firstStream);
  return {
    value,
    transfer: [value.compressed.buffer as ArrayBuffer, value.starts.buffer as ArrayBuffer, value.bytes.buffer as ArrayBuffer],
  };
}

/** Decode samples `[first, last)` of `streams`, which lie one after another in `bytes`. */
export interface DecodeStreamsInput {
  layout: StoredLayout;
  streams: number[];
  first: number;
  last: number;
  /** The streams' bytes: `compressed[start, end)`. */
  bytes: Uint8Array;
  start: number;
  /** Where to decode: a view of shared memory, `streams.length * (last - first)` values; without it, a new array is returned. */
  out?: TypedArray<DataType>;
  /** File and group, for error messages. */
  path?: string;
}

/** Decodes contiguous streams into `out`, or into a new array of the layout's dtype that is returned. */
export function decodeStreams(input: DecodeStreamsInput): JobOutput<TypedArray<DataType> | null> {
  const { layout, streams, first, last, bytes, start, out, path } = input;
  const plan: ReadPlan = { layout, streams, first, last, shape: [streams.length, last - first], ranges: [], dtype: layout.dtype };
  const data = out ?? allocateResult(plan);
  decodeRange(plan, { start, end: start + bytes.length, from: 0, to: streams.length }, bytes, data, path);
  return out ? { value: null } : { value: data, transfer: [data.buffer as ArrayBuffer] };
}

/** The functions of every flacarray worker. */
export const ARRAY_JOBS = { encodeStreams, decodeStreams };
