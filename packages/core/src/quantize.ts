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
 * @throws {QuantizationError} when a value is NaN or infinite
 */
function streamRange(x: Float32Array | Float64Array, base: number, n: number, stream: number): [number, number] {
  let smin = Number.POSITIVE_INFINITY;
  let smax = Number.NEGATIVE_INFINITY;
  for (let i = base; i < base + n; i++) {
    const v = x[i];
    if (Number.isNaN(v)) throw new QuantizationError(`Cannot convert data with NaNs to integers (stream ${stream}, sample ${i - base})`);
    if (v < smin) smin = v;
    if (v > smax) smax = v;
  }
  if (!Number.isFinite(smin) || !Number.isFinite(smax)) {
    const bad = Number.isFinite(smin) ? smax : smin;
    let i = base;
    while (x[i] !== bad) i++;
    throw new QuantizationError(
      `Cannot convert ${bad} to an integer (stream ${stream}, sample ${i - base}): only finite values can be quantized`,
    );
  }
  return [smin, smax];
}

/**
 * Checks, before anything is compressed, that the stream's extremes quantize to integers that
 * the stored integer type holds. Past that, C's conversion (and Python's) silently gives
 * INT_MIN for every sample.
 * @param quantize - the conversion of one value to its (unrounded) number of quanta, as the caller does it
 * @throws {QuantizationError} naming the stream, the value, and the range and quanta that would fit
 */
function checkQuantizedRange(
  smin: number,
  smax: number,
  off: number,
  q: number,
  quantize: (v: number) => number,
  limit: number,
  type: string,
  stream: number,
): void {
  const low = Math.abs(quantize(smin));
  const high = Math.abs(quantize(smax));
  if (low + 0.5 < limit && high + 0.5 < limit) return;
  const v = high >= low || Number.isNaN(low) ? smax : smin;
  const steps = Math.max(low, high);
  const fit = (smax - smin) / (2 * (limit - 2));
  const range = q > 0 && Number.isFinite(off) ? ` [${off - (limit - 1) * q}, ${off + (limit - 1) * q}]` : "";
  throw new QuantizationError(
    `stream ${stream}: value ${v} is ${steps} quanta of ${q} from the stream's offset ${off}, more than ${type} holds` +
      ` (±${limit - 1}); at this quanta values must lie in${range || " no finite range"}.` +
      ` This stream spans [${smin}, ${smax}]: use quanta >= ${fit}`,
  );
}

/**
 * Converts float32 streams to int32 with one quanta per stream.
 * @param x - `nstreams * n` values, stream after stream
 * @param quanta - one quanta per stream (float32 values)
 * @param out - receives the integers
 * @param offsets - receives the offset of each stream
 * @param gains - receives the gain of each stream
 * @throws {QuantizationError} when a value is NaN or infinite, or does not fit int32 at its quanta
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
    checkQuantizedRange(smin, smax, off, q, (v) => fround(gain * fround(v - off)), 2 ** 31, "int32", s);
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
 * @throws {QuantizationError} when a value is NaN or infinite, or does not fit int64 at its quanta
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
    checkQuantizedRange(smin, smax, off, q, (v) => gain * (v - off), 2 ** 63, "int64", s);
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

/**
 * Verification of float streams as a user reads them back: every value, converted back from its
 * integer with the readers' own functions, must lie within half a quantization step of the
 * input, plus the rounding of the float type (4 units of its last place at the stream's largest
 * magnitude, as Python's float32 arithmetic allows).
 * @param ints - the integers that were compressed (already verified against the decoded streams)
 * @throws {QuantizationError} naming the stream, the sample, the value written and the value read back
 */
export function checkReadBack(
  x: Float32Array | Float64Array,
  n: number,
  ints: Int32Array,
  offsets: Float32Array | Float64Array,
  gains: Float32Array | Float64Array,
): void {
  const float32 = x instanceof Float32Array;
  const back = float32 ? new Float32Array(n) : new Float64Array(n);
  const relative = float32 ? 2 ** -23 : 2 ** -52;
  for (let s = 0; s < offsets.length; s++) {
    const base = s * n;
    if (float32) intToFloat32(ints.subarray(base, base + n), n, offsets[s], gains[s], back as Float32Array, 0);
    else intToFloat64(ints.subarray(2 * base, 2 * (base + n)), n, offsets[s], gains[s], back as Float64Array, 0);
    let largest = Math.abs(offsets[s]);
    for (let i = 0; i < n; i++) largest = Math.max(largest, Math.abs(x[base + i]));
    const tolerance = 0.5 / gains[s] + 4 * relative * largest;
    for (let i = 0; i < n; i++) {
      if (!(Math.abs(back[i] - x[base + i]) <= tolerance)) {
        throw new QuantizationError(
          `verification failed: stream ${s}, sample ${i} was ${x[base + i]} and reads back as ${back[i]}, more than half a quanta (${0.5 / gains[s]}) away`,
        );
      }
    }
  }
}
