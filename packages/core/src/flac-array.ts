import { compressStreams } from "./compress.js";
import {
  type AnyTypedArray,
  channelsOf,
  type DataType,
  type DtypeOf,
  dtypeOf,
  isFloat,
  type NdArray,
  sizeOf,
  TYPED_ARRAYS,
  type TypedArray,
} from "./dtypes.js";
import { InvalidArgumentError, InvalidSelectionError, QuantizationError, UnsupportedDtypeError } from "./errors.js";
import { levelSettings } from "./flac/levels.js";
import { checkLayout, type StoredLayout } from "./layout.js";
import { numpyStd } from "./numpy-std.js";
import { checkReadBack, float32ToInt, float64ToInt } from "./quantize.js";
import { allocateResult, decodeRange, planRead, planResult, planStreams, type ReadOptions, type ReadPlan } from "./read-plan.js";
import { type Key, resolveKey } from "./selection.js";

/** Options of {@link FlacArray.fromArray}. */
export interface FromArrayOptions {
  /** FLAC compression level 0–8. Default 5. */
  level?: number;
  /** Float input: the quantization step, one number or one per stream (flat or nested). */
  quanta?: number | ArrayLike<number> | readonly unknown[];
  /** Float input: quanta = std(stream) / 10^precision, one integer or one per stream. */
  precision?: number | ArrayLike<number> | readonly unknown[];
  /** Decode every stream after compressing it and compare what a reader gets back (floats within half a quanta). Default true. */
  verify?: boolean;
}

/** Options of {@link FlacArray.toArray}. */
export type ToArrayOptions = ReadOptions;

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
    type D = DtypeOf<T>;
    const { data, shape } = ArrayBuffer.isView(arr)
      ? { data: arr as T, shape: [(arr as T).length] }
      : (arr as { data: T; shape: readonly number[] });
    const dtype = dtypeOf(data) as D;
    if (shape.length === 0 || shape.some((d) => !Number.isSafeInteger(d) || d < 0) || sizeOf(shape) !== data.length) {
      throw new InvalidArgumentError(`shape (${shape.join(", ")}) does not match the ${data.length} values of the data`);
    }
    if (data.length === 0) throw new InvalidArgumentError("Cannot compress a zero-sized array!");
    const level = options.level ?? 5;
    levelSettings(level); // throws for a level outside 0–8 before any work is done
    const streamSize = shape[shape.length - 1];
    const leading = shape.length === 1 ? [1] : shape.slice(0, -1);
    const nstreams = sizeOf(leading);
    const channels = channelsOf(dtype);
    let ints: Int32Array;
    let offsets: Float32Array | Float64Array | null = null;
    let gains: Float32Array | Float64Array | null = null;
    if (dtype === "int32") ints = data as Int32Array;
    else if (dtype === "int64") ints = new Int32Array((data as BigInt64Array).buffer, (data as BigInt64Array).byteOffset, data.length * 2);
    else {
      if (options.quanta != null && options.precision != null)
        throw new QuantizationError("give either quanta or precision for float data, not both");
      if (options.quanta == null && options.precision == null) throw new QuantizationError("float data needs quanta or precision");
      if (dtype === "float32") {
        const x = data as Float32Array;
        const q = quantaPerStream(x, nstreams, streamSize, options, Float32Array);
        ints = new Int32Array(x.length);
        offsets = new Float32Array(nstreams);
        gains = new Float32Array(nstreams);
        float32ToInt(x, streamSize, q as Float32Array, ints, offsets, gains);
      } else {
        const x = data as Float64Array;
        const q = quantaPerStream(x, nstreams, streamSize, options, Float64Array);
        ints = new Int32Array(x.length * 2);
        offsets = new Float64Array(nstreams);
        gains = new Float64Array(nstreams);
        float64ToInt(x, streamSize, q as Float64Array, ints, offsets, gains);
      }
    }
    const verify = options.verify ?? true;
    const { compressed, starts, bytes } = compressStreams(ints, nstreams, streamSize, channels, level, verify);
    if (verify && offsets && gains) checkReadBack(data as Float32Array | Float64Array, streamSize, ints, offsets, gains);
    return new FlacArray<D>({
      dtype,
      shape,
      compressed,
      streamStarts: starts,
      streamBytes: bytes,
      streamOffsets: offsets,
      streamGains: gains,
    });
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

/** One quanta per stream from the `quanta` or `precision` option, in the data's float type. */
function quantaPerStream(
  x: Float32Array | Float64Array,
  nstreams: number,
  n: number,
  options: FromArrayOptions,
  T: typeof Float32Array | typeof Float64Array,
): Float32Array | Float64Array {
  const q = new T(nstreams);
  const perStream = (v: FromArrayOptions["quanta"], what: string): ArrayLike<number> => {
    if (typeof v === "number") return new Array<number>(nstreams).fill(v);
    const flat = (Array.isArray(v) ? (v as unknown[]).flat(Number.POSITIVE_INFINITY) : Array.from(v as ArrayLike<number>)) as number[];
    if (flat.length !== nstreams) throw new QuantizationError(`${what} has ${flat.length} values, expected one per stream (${nstreams})`);
    return flat;
  };
  if (options.quanta != null) {
    const v = perStream(options.quanta, "quanta");
    for (let s = 0; s < nstreams; s++) q[s] = v[s];
  } else {
    const p = perStream(options.precision, "precision");
    const float32 = T === Float32Array;
    for (let s = 0; s < nstreams; s++) {
      if (!Number.isInteger(p[s])) throw new QuantizationError(`precision ${p[s]} of stream ${s} is not an integer`);
      const std = numpyStd(x, s * n, n, float32);
      q[s] = std / 10 ** p[s];
    }
  }
  for (let s = 0; s < nstreams; s++) {
    if (!(q[s] >= 0) || !Number.isFinite(q[s])) throw new QuantizationError(`quanta ${q[s]} of stream ${s} must be a finite number >= 0`);
  }
  return q;
}
