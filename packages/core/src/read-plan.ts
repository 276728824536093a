/**
 * Planned reads of a stored flacarray: which streams and samples a request selects, the shape
 * of the result, the byte ranges of `compressed` that hold the selected streams, and the
 * decoding of those ranges into the result. FlacArray, the HDF5 reader and the Zarr reader all
 * read through a plan, so they share one set of shape rules and one decoding path.
 */
import { type DataType, TYPED_ARRAYS, type TypedArray } from "./dtypes.js";
import { InvalidStreamError } from "./errors.js";
import { FlacDecoder } from "./flac/decoder.js";
import type { DecodedArray } from "./flac-array.js";
import { flacChannels, type StoredLayout } from "./layout.js";
import { addInt64Offset, int32ToFloat64, intToFloat32, intToFloat64 } from "./quantize.js";
import { type KeepMask, keptStreams, resolveStreamSlice, unravelIndex } from "./selection.js";

/** Which streams and samples to read, as Python's `read_array` takes them. */
export interface ReadOptions {
  /** Which streams to decode: a boolean mask of the leading shape (nested) or of length nstreams (flat). */
  keep?: KeepMask | null;
  /** Samples `[start, stop)` of each stream; `null` for an open end, negative counts from the end. */
  streamSlice?: readonly [number | null, number | null] | null;
  /** Also return the index tuple of each decoded stream. */
  keepIndices?: boolean;
}

/** A byte range of `compressed` that holds whole streams: `plan.streams[from, to)`. */
export interface ByteRange {
  start: number;
  end: number;
  from: number;
  to: number;
}

/** A planned read: allocate the result with {@link allocateResult}, then decode every range of `ranges` into it, in any order. */
export interface ReadPlan<D extends DataType = DataType> {
  layout: StoredLayout;
  /** Flat indices of the streams to decode, in output order. */
  streams: number[];
  /** First sample of each stream to decode. */
  first: number;
  /** One past the last sample. */
  last: number;
  /** Shape of the result. */
  shape: number[];
  /** With `keepIndices`: the leading-shape index of each decoded stream. */
  indices?: number[][];
  /** The byte ranges to read, each at most `maxRangeBytes` unless one stream is larger. */
  ranges: ByteRange[];
  /** The dtype of the result (carried in the type). */
  dtype: D;
}

/**
 * Plans a read with Python's shape rules. Format 1 (0.3.4): a full read gives the leading shape
 * plus the samples, 1-D for a single stream; a keep mask gives `(nKept, n)`, 1-D when exactly
 * one stream is kept. Format 0 (0.2.4's reader): the stored leading shape is kept as is, and a
 * keep mask always gives `(nKept, n)`.
 * @param maxRangeBytes - split reads so that no range is larger (a stream is never split)
 * @throws {InvalidSelectionError} for a keep mask of the wrong shape or a slice outside the streams
 */
export function planRead<D extends DataType>(layout: StoredLayout, options: ReadOptions = {}, maxRangeBytes = Infinity): ReadPlan<D> {
  const [first, last] = resolveStreamSlice(options.streamSlice, layout.streamSize);
  const m = last - first;
  const leading = layout.leadingShape;
  const squeeze = layout.formatVersion === 1;
  let streams: number[];
  let shape: number[];
  if (options.keep != null) {
    streams = keptStreams(options.keep, leading);
    shape = squeeze && streams.length === 1 ? [m] : [streams.length, m];
  } else {
    streams = Array.from({ length: layout.starts.length }, (_, i) => i);
    shape = squeeze && streams.length === 1 ? [m] : [...leading, m];
  }
  const plan = planStreams<D>(layout, streams, first, last, shape, maxRangeBytes);
  if (options.keepIndices) plan.indices = streams.map((s) => unravelIndex(s, leading));
  return plan;
}

/**
 * Plans the read of samples `[first, last)` of the given streams into a result of `shape`.
 * Streams that follow each other in `compressed` share a byte range.
 */
export function planStreams<D extends DataType>(
  layout: StoredLayout,
  streams: number[],
  first: number,
  last: number,
  shape: number[],
  maxRangeBytes = Infinity,
): ReadPlan<D> {
  const { starts, bytes } = layout;
  const ranges: ByteRange[] = [];
  if (last > first) {
    let current: ByteRange | null = null;
    for (let k = 0; k < streams.length; k++) {
      const start = starts[streams[k]];
      const end = start + bytes[streams[k]];
      if (current && start === current.end && end - current.start <= maxRangeBytes) {
        current.end = end;
        current.to = k + 1;
      } else {
        current = { start, end, from: k, to: k + 1 };
        ranges.push(current);
      }
    }
  }
  return { layout, streams, first, last, shape, ranges, dtype: layout.dtype as D };
}

/** A zeroed result array for a plan: `streams.length * (last - first)` values of its dtype. */
export function allocateResult<D extends DataType>(plan: ReadPlan<D>): TypedArray<D> {
  return new TYPED_ARRAYS[plan.dtype](plan.streams.length * Math.max(0, plan.last - plan.first)) as TypedArray<D>;
}

/** The result of a plan whose ranges are all decoded into `data`: `{ data, shape }`, plus `indices` when asked for. */
export function planResult<D extends DataType>(plan: ReadPlan<D>, data: TypedArray<D>): DecodedArray<D> {
  const result: DecodedArray<D> = { data, shape: plan.shape };
  if (plan.indices) result.indices = plan.indices;
  return result;
}

/** One decoder for every call: decoding is synchronous, and its scratch (about 1.3 MB) is then allocated once. */
let sharedDecoder: FlacDecoder | undefined;

/**
 * Decodes the streams of one planned range into the plan's result.
 * @param bytes - the bytes `[range.start, range.end)` of `compressed`
 * @param data - the result, from {@link allocateResult}
 * @param path - the file and group, for error messages
 * @throws {InvalidStreamError} naming the stream index and byte offset of a corrupt stream
 */
export function decodeRange<D extends DataType>(
  plan: ReadPlan<D>,
  range: ByteRange,
  bytes: Uint8Array,
  data: TypedArray<D>,
  path?: string,
): void {
  const { layout, streams, first, last } = plan;
  const { dtype, formatVersion, starts, streamSize } = layout;
  const channels = flacChannels(layout);
  const m = last - first;
  const n = range.to - range.from;
  if (bytes.length !== range.end - range.start) {
    throw new InvalidStreamError(
      `expected ${range.end - range.start} bytes of streams ${streams[range.from]}..${streams[range.to - 1]}, found ${bytes.length}`,
      streams[range.from],
      0,
      { path },
    );
  }
  // The integers go straight into the result where they are its values; into scratch otherwise.
  const direct = dtype === "int32" || (dtype === "int64" && formatVersion === 1);
  const ints = direct
    ? new Int32Array(data.buffer, data.byteOffset + range.from * m * channels * 4, n * m * channels)
    : new Int32Array(n * m * channels);
  sharedDecoder ??= new FlacDecoder();
  for (let k = 0; k < n; k++) {
    const s = streams[range.from + k];
    const begin = starts[s] - range.start;
    const stream = bytes.subarray(begin, begin + layout.bytes[s]);
    try {
      sharedDecoder.decode(stream, ints, {
        start: first,
        stop: last,
        outOffset: k * m * channels,
        stream: s,
        totalSamples: streamSize,
        channels,
      });
    } catch (err) {
      if (err instanceof InvalidStreamError && path)
        throw new InvalidStreamError(err.reason, err.stream, err.byteOffset, { path, cause: err });
      throw err;
    }
  }
  if (direct) return;
  const pairs = dtype === "int64" ? new Int32Array(data.buffer, data.byteOffset, data.length * 2) : null;
  for (let k = 0; k < n; k++) {
    const s = streams[range.from + k];
    const outOffset = (range.from + k) * m;
    const own = ints.subarray(k * m * channels, (k + 1) * m * channels);
    const offset = layout.offsets?.[s] as number;
    const gain = layout.gains?.[s] as number;
    if (dtype === "float32") intToFloat32(own, m, offset, gain, data as Float32Array, outOffset);
    else if (dtype === "float64" && formatVersion === 1) intToFloat64(own, m, offset, gain, data as Float64Array, outOffset);
    else if (dtype === "float64") int32ToFloat64(own, m, offset, gain, data as Float64Array, outOffset);
    else addInt64Offset(own, m, layout.offsets?.[s] as bigint, pairs as Int32Array, outOffset);
  }
}
