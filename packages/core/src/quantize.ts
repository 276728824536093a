import { QuantizationError } from "./errors.js";

/**
 * Float ⇄ integer conversion of flacarray format "1", reproducing Python flacarray's C code
 * (`utils.c`) bit for bit: float32 work in float32 (Math.fround after every operation the C
 * code does in `float`), float64 work in double. See the format spec, section 8.
 */

const fround = Math.fround;
const INT32_MIN = -2147483648;
const TWO32 = 4294967296;

/** C's `(int32)(double)` on x86: truncation, and INT32_MIN for NaN or out-of-range values. */
function toInt32(v: number): number {
  return v > -2147483649 && v < 2147483648 ? Math.trunc(v) : INT32_MIN;
}

const TWO63 = 2 ** 63;

/** C's `(int64)(double)` on x86 as a double: truncation, and INT64_MIN for NaN or out-of-range values. */
function toInt64(v: number): number {
  return v >= -TWO63 && v < TWO63 ? Math.trunc(v) : -TWO63;
}

/**
 * Minimum and maximum of `x[base, base + n)`.
 * @throws {QuantizationError} when a value is NaN
 */
function streamRange(x: Float32Array | Float64Array, base: number, n: number, stream: number): [number, number] {
  let smin = x[base];
  let smax = x[base];
  for (let i = base; i < base + n; i++) {
    const v = x[i];
    if (Number.isNaN(v)) throw new QuantizationError(`Cannot convert data with NaNs to integers (stream ${stream}, sample ${i - base})`);
    if (v < smin) smin = v;
    if (v > smax) smax = v;
  }
  return [smin, smax];
}

/**
 * Converts float32 streams to int32 with one quanta per stream.
 * @param x - `nstreams * n` values, stream after stream
 * @param quanta - one quanta per stream (float32 values)
 * @param out - receives the integers
 * @param offsets - receives the offset of each stream
 * @param gains - receives the gain of each stream
 * @throws {QuantizationError} when a value is NaN
 */
export function float32ToInt(
  x: Float32Array,
  n: number,
  quanta: Float32Array,
  out: Int32Array,
  offsets: Float32Array,
  gains: Float32Array,
): void {
  const nstreams = quanta.length;
  for (let s = 0; s < nstreams; s++) {
    const base = s * n;
    const [smin, smax] = streamRange(x, base, n, s);
    const q = quanta[s];
    let off = fround(0.5 * fround(smin + smax));
    const nq = toInt64(off / q);
    off = fround(q * nq); // q = 0 gives nq = INT64_MIN and so off = -0, as in Python
    const gain = q === 0 ? 1 : fround(1 / q);
    for (let i = base; i < base + n; i++) {
      const gt = fround(gain * fround(x[i] - off));
      out[i] = toInt32(gt >= 0 ? gt + 0.5 : gt - 0.5);
    }
    offsets[s] = off;
    gains[s] = gain;
  }
}

/**
 * Converts float64 streams to int64, written as interleaved (low, high) int32 pairs.
 * @param out - `2 * x.length` values: the little-endian halves of each int64
 * @throws {QuantizationError} when a value is NaN
 */
export function float64ToInt(
  x: Float64Array,
  n: number,
  quanta: Float64Array,
  out: Int32Array,
  offsets: Float64Array,
  gains: Float64Array,
): void {
  const nstreams = quanta.length;
  for (let s = 0; s < nstreams; s++) {
    const base = s * n;
    const [smin, smax] = streamRange(x, base, n, s);
    const q = quanta[s];
    let off = 0.5 * (smin + smax);
    const nq = toInt64(off / q);
    off = q * nq;
    const gain = q === 0 ? 1 : 1 / q;
    for (let i = base; i < base + n; i++) {
      const gt = gain * (x[i] - off);
      const v = toInt64(gt >= 0 ? gt + 0.5 : gt - 0.5);
      const hi = Math.floor(v / TWO32);
      out[2 * i] = v - hi * TWO32;
      out[2 * i + 1] = hi;
    }
    offsets[s] = off;
    gains[s] = gain;
  }
}

/**
 * Converts decoded int32 values of one stream back to float32: `off + (float)(1/gain) * (float)i`.
 * @param ints - decoded integers
 * @param out - destination, `ints.length` values from `outOffset`
 */
export function intToFloat32(ints: Int32Array, count: number, offset: number, gain: number, out: Float32Array, outOffset: number): void {
  const coeff = fround(1 / gain);
  for (let i = 0; i < count; i++) out[outOffset + i] = fround(offset + fround(coeff * ints[i]));
}

/**
 * Converts decoded int64 values (interleaved low/high int32 pairs) of one stream back to
 * float64: `off + (1/gain) * (double)i`.
 */
export function intToFloat64(pairs: Int32Array, count: number, offset: number, gain: number, out: Float64Array, outOffset: number): void {
  const coeff = 1 / gain;
  for (let i = 0; i < count; i++) out[outOffset + i] = offset + coeff * (pairs[2 * i + 1] * TWO32 + (pairs[2 * i] >>> 0));
}

/**
 * Format 0 float64: int32 values back to float64, `off + (1/gain) * (double)i` (flacarray 0.2.4).
 * @param out - destination, `count` values from `outOffset`
 */
export function int32ToFloat64(ints: Int32Array, count: number, offset: number, gain: number, out: Float64Array, outOffset: number): void {
  const coeff = 1 / gain;
  for (let i = 0; i < count; i++) out[outOffset + i] = offset + coeff * ints[i];
}

/**
 * Format 0 int64: int32 values plus a per-stream int64 offset, written as int64 values
 * (little-endian low/high int32 pairs) without a BigInt per sample.
 * @param pairs - destination as int32 pairs, `count` values from value `outOffset`
 */
export function addInt64Offset(ints: Int32Array, count: number, offset: bigint, pairs: Int32Array, outOffset: number): void {
  const lo = Number(BigInt.asUintN(32, offset));
  const hi = Number(BigInt.asIntN(32, offset >> 32n));
  for (let i = 0; i < count; i++) {
    const sum = lo + ints[i]; // exact in a double: (-2^31, 2^32 + 2^31)
    const carry = Math.floor(sum / TWO32);
    pairs[2 * (outOffset + i)] = sum - carry * TWO32;
    pairs[2 * (outOffset + i) + 1] = hi + carry;
  }
}
