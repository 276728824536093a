import { type CompressedStreams, compressStreams } from "./compress.js";
import { type AnyTypedArray, type DataType, type DtypeOf, isFloat, type NdArray, sizeOf, TYPED_ARRAYS, type TypedArray } from "./dtypes.js";
import { InvalidArgumentError, InvalidSelectionError, UnsupportedDtypeError } from "./errors.js";
import { checkLayout, type StoredLayout } from "./layout.js";
import { allocateSharedResult, compressOnWorkers, decodeOnWorkers } from "./pool/parallel.js";
import { workerCount } from "./pool/shared-pool.js";
import { type FromArrayOptions, type PreparedArray, prepareArray } from "./prepare-array.js";
import { checkReadBack } from "./quantize.js";
import { allocateResult, decodeRange, planRead, planResult, planStreams, type ReadOptions, type ReadPlan } from "./read-plan.js";
import { type Key, resolveKey } from "./selection.js";

/** Options of {@link FlacArray.toArray}. */
export type ToArrayOptions = ReadOptions;

/** How many workers an async method may use. */
export interface WorkerOptions {
  /** At most this many workers (worker threads in Node, Web Workers in browsers). Default: the number of cores. */
  workers?: number;
}

/** The result of {@link FlacArray.toArray}. */
export interface DecodedArray<D extends DataType> extends NdArray<D> {
  /** With `keepIndices`: the leading-shape index of each decoded stream. */
  indices?: number[][];
}

/** The stored parts of a FlacArray, as the HDF5 and Zarr formats hold them. */
export interface FlacArrayParts<D extends DataType = DataType> {
  dtype: D;
  /** Leading shape plus the stream size. */
  shape: readonly number[];
  compressed: Uint8Array;
  streamStarts: ArrayLike<number | bigint>;
  streamBytes: ArrayLike<number | bigint>;
  /** Float dtypes only. */
  streamOffsets?: Float32Array | Float64Array | null;
  /** Float dtypes only. */
  streamGains?: Float32Array | Float64Array | null;
}

/**
 * An N-dimensional array compressed stream by stream with FLAC: the JavaScript twin of Python
 * flacarray's `FlacArray`, with the same numbers, shapes and conversions. The last axis holds
 * the streams (time series); the leading axes index them.
 * @example
 * const fa = FlacArray.fromArray({ data: new Int32Array(3 * 1000), shape: [3, 1000] }, { level: 5 });
 * const { data, shape } = fa.toArray({ keep: [true, false, true], streamSlice: [100, 200] }); // shape [2, 100]
 */
export class FlacArray<D extends DataType = DataType> {
  /** numpy dtype name of the decoded data. */
  readonly dtype: D;
  /** Shape of the array: leading shape plus the stream size. */
  readonly shape: readonly number[];
  /** All FLAC streams, concatenated in C order. */
  readonly compressed: Uint8Array;
  /** Float dtypes: the offset of each stream (float32 for float32, float64 for float64); else null. */
  readonly streamOffsets: Float32Array | Float64Array | null;
  /** Float dtypes: the gain of each stream; else null. */
  readonly streamGains: Float32Array | Float64Array | null;
  /** The stream tables, in the form every reader plans with. */
  private readonly layout: StoredLayout;

  /**
   * Wraps stored parts (as read from HDF5 or Zarr) after checking they are consistent.
   * @throws {InvalidFormatError} when sizes, byte ranges or offset/gain types disagree
   */
  constructor(parts: FlacArrayParts<D>) {
    const { dtype, shape, compressed } = parts;
    if (!(dtype in TYPED_ARRAYS)) throw new UnsupportedDtypeError(String(dtype), "FlacArray");
    if (shape.length === 0) throw new InvalidArgumentError("a FlacArray needs at least one dimension");
    this.dtype = dtype;
    this.shape = [...shape];
    this.compressed = compressed;
    this.streamOffsets = isFloat(dtype) ? (parts.streamOffsets ?? null) : null;
    this.streamGains = isFloat(dtype) ? (parts.streamGains ?? null) : null;
    this.layout = {
      formatVersion: 1,
      dtype,
      leadingShape: this.leadingShape,
      streamSize: this.streamSize,
      starts: Float64Array.from(parts.streamStarts as ArrayLike<number>, Number),
      bytes: Float64Array.from(parts.streamBytes as ArrayLike<number>, Number),
      offsets: this.streamOffsets,
      gains: this.streamGains,
    };
    checkLayout(this.layout, compressed.length, "FlacArray");
  }

  /**
   * Compresses an array. `arr` is `{ data, shape }` in C order, or a bare typed array (one stream).
   * Floats need exactly one of `quanta` or `precision`.
   * @throws {UnsupportedDtypeError} for data that is not Int32/BigInt64/Float32/Float64Array
   * @throws {InvalidArgumentError} for a zero-size array, a shape that does not match, or a level outside 0–8
   * @throws {QuantizationError} for NaN or infinite values, values that do not fit the integer type at their quanta,
   *   missing or conflicting quanta and precision, or (with `verify`) a value that does not read back within half a quanta
   */
  static fromArray<T extends AnyTypedArray>(
    arr: T | { data: T; shape: readonly number[] },
    options: FromArrayOptions = {},
  ): FlacArray<DtypeOf<T>> {
    const prepared = prepareArray(arr, options);
    const { ints, nstreams, streamSize, channels, level, verify } = prepared;
    return finishArray<DtypeOf<T>>(prepared, compressStreams(ints, nstreams, streamSize, channels, level, verify));
  }

  /**
   * {@link fromArray} on workers (worker threads in Node, Web Workers in browsers): the streams
   * are compressed in batches, in parallel, to the same bytes as `fromArray`. Where memory can be
   * shared (Node, cross-origin-isolated pages), `compressed` lives in a SharedArrayBuffer, which
   * the workers fill in parallel; `compressed.slice()` copies it for APIs that refuse shared memory.
   * @param options - `fromArray`'s, and `workers`: how many at most (default: the cores)
   * @throws the errors of {@link fromArray}; {@link WorkerError} when a worker cannot start or dies
   */
  static async fromArrayAsync<T extends AnyTypedArray>(
    arr: T | { data: T; shape: readonly number[] },
    options: FromArrayOptions & WorkerOptions = {},
  ): Promise<FlacArray<DtypeOf<T>>> {
    const prepared = prepareArray(arr, options);
    return finishArray<DtypeOf<T>>(prepared, await compressOnWorkers(prepared, workerCount(options.workers)));
  }

  /** Leading shape: the shape without the stream axis (`[1]` for a 1-D array). */
  get leadingShape(): number[] {
    return this.shape.length === 1 ? [1] : this.shape.slice(0, -1);
  }

  /** Samples per stream. */
  get streamSize(): number {
    return this.shape[this.shape.length - 1];
  }

  /** Number of streams. */
  get nstreams(): number {
    return sizeOf(this.leadingShape);
  }

  /** Bytes of compressed data. */
  get nbytes(): number {
    return this.compressed.length;
  }

  /** Byte offset of each stream in `compressed` (int64, leading shape flattened). */
  get streamStarts(): BigInt64Array {
    return BigInt64Array.from(this.layout.starts, (v) => BigInt(v));
  }

  /** Byte length of each stream (int64, leading shape flattened). */
  get streamBytes(): BigInt64Array {
    return BigInt64Array.from(this.layout.bytes, (v) => BigInt(v));
  }

  /**
   * Decompresses all streams, or the streams of a keep mask, optionally a sample range of each.
   * Shapes follow Python's `read_array`: a single stream reads back 1-D; a keep mask gives
   * `(nKept, n)`, 1-D when exactly one stream is kept; an all-false mask gives `(0, n)`.
   * @throws {InvalidSelectionError} for a keep mask of the wrong shape or a slice outside the streams
   * @throws {InvalidStreamError} for a corrupt stream (with its index and byte offset)
   */
  toArray(options: ToArrayOptions = {}): DecodedArray<D> {
    const plan = planRead<D>(this.layout, options);
    return planResult(plan, this.read(plan));
  }

  /**
   * {@link toArray} on workers (worker threads in Node, Web Workers in browsers): the selected
   * streams are decoded in batches, in parallel, into the same values. Where memory can be shared
   * (Node, and cross-origin-isolated pages) the workers decode in place and `data.buffer` is a
   * SharedArrayBuffer; elsewhere it is an ordinary ArrayBuffer.
   * @param options - `toArray`'s, and `workers`: how many at most (default: the cores)
   * @throws the errors of {@link toArray}; {@link WorkerError} when a worker cannot start or dies
   */
  async toArrayAsync(options: ToArrayOptions & WorkerOptions = {}): Promise<DecodedArray<D>> {
    const plan = planRead<D>(this.layout, options);
    const data = allocateSharedResult(plan);
    await decodeOnWorkers(plan, () => (piece) => this.compressed.subarray(piece.start, piece.end), data, workerCount(options.workers));
    return planResult(plan, data);
  }

  /**
   * numpy-style indexing: one key per axis (missing keys take the whole axis), each an integer
   * (negative counts from the end) or a slice `[start, stop, step?]` with `null` for an open end.
   * Leading axes take any step; the sample axis takes an integer or a contiguous slice.
   * @example fa.get(0, [10, 20]) // stream 0, samples 10..19: shape [10]
   * @throws {InvalidSelectionError} for too many keys, an index out of range or a stepped sample slice
   */
  get(...keys: Key[]): NdArray<D> {
    const shape = this.shape;
    if (keys.length > shape.length) throw new InvalidSelectionError(`${keys.length} keys for an array of ${shape.length} dimensions`);
    const resolved = shape.map((n, axis) => resolveKey(axis < keys.length ? keys[axis] : [null, null], n, axis));
    const sampleKey = resolved[resolved.length - 1];
    const samples = sampleKey.indices;
    for (let i = 1; i < samples.length; i++) {
      if (samples[i] !== samples[i - 1] + 1)
        throw new InvalidSelectionError("the sample axis takes an integer or a contiguous slice (step 1)");
    }
    const first = samples.length > 0 ? samples[0] : 0;
    const last = first + samples.length;
    // streams: the product of the leading keys, in C order
    const leadingKeys = this.shape.length === 1 ? [{ indices: [0], keepsAxis: false }] : resolved.slice(0, -1);
    const leading = this.leadingShape;
    let streams = [0];
    for (let d = 0; d < leadingKeys.length; d++) {
      const next: number[] = [];
      for (const s of streams) for (const i of leadingKeys[d].indices) next.push(s * leading[d] + i);
      streams = next;
    }
    const outShape: number[] = [];
    for (const k of resolved) if (k.keepsAxis) outShape.push(k.indices.length);
    return { data: this.read(planStreams<D>(this.layout, streams, first, last, outShape)), shape: outShape };
  }

  /** Decodes every range of a plan from the in-memory streams. */
  private read(plan: ReadPlan<D>): TypedArray<D> {
    const data = allocateResult(plan);
    for (const range of plan.ranges) decodeRange(plan, range, this.compressed.subarray(range.start, range.end), data);
    return data;
  }

  /** Whether another FlacArray has the same shape, dtype, streams, offsets and gains (as Python's `==`). */
  equals(other: FlacArray): boolean {
    const same = (a: ArrayLike<number> | null, b: ArrayLike<number> | null) => {
      if (a === null || b === null) return a === b;
      if (a.length !== b.length) return false;
      for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
      return true;
    };
    return (
      this.dtype === other.dtype &&
      same(this.shape, other.shape) &&
      same(this.layout.starts, other.layout.starts) &&
      same(this.layout.bytes, other.layout.bytes) &&
      same(this.compressed, other.compressed) &&
      same(this.streamOffsets, other.streamOffsets) &&
      same(this.streamGains, other.streamGains)
    );
  }
}

/**
 * The FlacArray of a prepared array and its compressed streams; with verification, also checks
 * that floats read back within half a quanta.
 */
function finishArray<D extends DataType>(prepared: PreparedArray, streams: CompressedStreams): FlacArray<D> {
  const { data, dtype, shape, streamSize, ints, verify, offsets, gains } = prepared;
  if (verify && offsets && gains) checkReadBack(data as Float32Array | Float64Array, streamSize, ints, offsets, gains);
  return new FlacArray<D>({
    dtype: dtype as D,
    shape,
    compressed: streams.compressed,
    streamStarts: streams.starts,
    streamBytes: streams.bytes,
    streamOffsets: offsets,
    streamGains: gains,
  });
}
