/**
 * Everything FlacArray.fromArray does before compressing: checking the input and options, and
 * turning floats into integers at their quanta (Python's conversion, bit for bit). The sync and
 * the async (worker) paths share it, so both compress the same integers.
 */
import { type AnyTypedArray, channelsOf, type DataType, dtypeOf, sizeOf } from "./dtypes.js";
import { InvalidArgumentError, QuantizationError } from "./errors.js";
import { levelSettings } from "./flac/levels.js";
import { numpyStd } from "./numpy-std.js";
import { float32ToInt, float64ToInt } from "./quantize.js";

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

/** An array checked and turned into the integers its streams hold. */
export interface PreparedArray {
  /** The input values (for the float read-back check). */
  data: AnyTypedArray;
  dtype: DataType;
  shape: readonly number[];
  /** `nstreams * streamSize * channels` integers, stream after stream. */
  ints: Int32Array;
  nstreams: number;
  streamSize: number;
  channels: 1 | 2;
  level: number;
  verify: boolean;
  /** Float dtypes: each stream's offset and gain. */
  offsets: Float32Array | Float64Array | null;
  gains: Float32Array | Float64Array | null;
}

/**
 * Checks an array and its options and converts it to stream integers (see FlacArray.fromArray).
 * @throws the errors of FlacArray.fromArray that come before compression
 */
export function prepareArray<T extends AnyTypedArray>(
  arr: T | { data: T; shape: readonly number[] },
  options: FromArrayOptions,
): PreparedArray {
  const { data, shape } = ArrayBuffer.isView(arr)
    ? { data: arr as T, shape: [(arr as T).length] }
    : (arr as { data: T; shape: readonly number[] });
  const dtype = dtypeOf(data);
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
  return { data, dtype, shape, ints, nstreams, streamSize, channels, level, verify: options.verify ?? true, offsets, gains };
}

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
