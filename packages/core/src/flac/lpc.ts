/** Linear prediction analysis of the encoder (libFLAC's algorithms, in double precision). */
import { type WasmResidualKernel, wasmResidualKernel } from "./residual-kernel.js";

/**
 * Autocorrelation of the windowed signal `x[i] * win[i]` for lags `0..maxLag` into `out`, where
 * the window is zero outside `[start, end)` (a part of a subdivided block): only that part is
 * summed, which gives the same sums as the whole block. The window is applied on the fly, and
 * for up to 12 lags the previous samples slide through local variables, so each sample is loaded once.
 * Up to 12 lags, `kernel` (the WebAssembly SIMD one where it runs; null for TypeScript) gives the
 * same sums.
 */
export function windowedAutocorrelation(
  x: Int32Array,
  win: Float64Array,
  start: number,
  end: number,
  maxLag: number,
  out: Float64Array,
  kernel: WasmResidualKernel | null = wasmResidualKernel(),
): void {
  if (maxLag <= 12 && kernel) {
    kernel.autocorrelation(x, win, start, end, maxLag, out);
    return;
  }
  if (maxLag <= 8) {
    let a0 = 0,
      a1 = 0,
      a2 = 0,
      a3 = 0,
      a4 = 0,
      a5 = 0,
      a6 = 0,
      a7 = 0,
      a8 = 0;
    let p1 = 0,
      p2 = 0,
      p3 = 0,
      p4 = 0,
      p5 = 0,
      p6 = 0,
      p7 = 0,
      p8 = 0;
    for (let i = start; i < end; i++) {
      const v = x[i] * win[i];
      a0 += v * v;
      a1 += v * p1;
      a2 += v * p2;
      a3 += v * p3;
      a4 += v * p4;
      a5 += v * p5;
      a6 += v * p6;
      a7 += v * p7;
      a8 += v * p8;
      p8 = p7;
      p7 = p6;
      p6 = p5;
      p5 = p4;
      p4 = p3;
      p3 = p2;
      p2 = p1;
      p1 = v;
    }
    out[0] = a0;
    out[1] = a1;
    out[2] = a2;
    out[3] = a3;
    out[4] = a4;
    out[5] = a5;
    out[6] = a6;
    out[7] = a7;
    out[8] = a8;
    return;
  }
  if (maxLag <= 12) {
    let a0 = 0,
      a1 = 0,
      a2 = 0,
      a3 = 0,
      a4 = 0,
      a5 = 0,
      a6 = 0,
      a7 = 0,
      a8 = 0,
      a9 = 0,
      a10 = 0,
      a11 = 0,
      a12 = 0;
    let p1 = 0,
      p2 = 0,
      p3 = 0,
      p4 = 0,
      p5 = 0,
      p6 = 0,
      p7 = 0,
      p8 = 0,
      p9 = 0,
      p10 = 0,
      p11 = 0,
      p12 = 0;
    for (let i = start; i < end; i++) {
      const v = x[i] * win[i];
      a0 += v * v;
      a1 += v * p1;
      a2 += v * p2;
      a3 += v * p3;
      a4 += v * p4;
      a5 += v * p5;
      a6 += v * p6;
      a7 += v * p7;
      a8 += v * p8;
      a9 += v * p9;
      a10 += v * p10;
      a11 += v * p11;
      a12 += v * p12;
      p12 = p11;
      p11 = p10;
      p10 = p9;
      p9 = p8;
      p8 = p7;
      p7 = p6;
      p6 = p5;
      p5 = p4;
      p4 = p3;
      p3 = p2;
      p2 = p1;
      p1 = v;
    }
    out[0] = a0;
    out[1] = a1;
    out[2] = a2;
    out[3] = a3;
    out[4] = a4;
    out[5] = a5;
    out[6] = a6;
    out[7] = a7;
    out[8] = a8;
    out[9] = a9;
    out[10] = a10;
    out[11] = a11;
    out[12] = a12;
    return;
  }
  for (let lag = 0; lag <= maxLag; lag++) {
    let s = 0;
    for (let i = start + lag; i < end; i++) s += x[i] * win[i] * (x[i - lag] * win[i - lag]);
    out[lag] = s;
  }
}

/**
 * Levinson-Durbin recursion. Writes predictor coefficients of every order `1..maxOrder` into
 * `coefs` (row `order - 1`, `coefs[(order - 1) * 32 + j]`) and the prediction error into `errors`.
 * @returns the highest order computed (lower when the error reaches zero)
 */
export function levinson(autoc: Float64Array, maxOrder: number, coefs: Float64Array, errors: Float64Array, lpc: Float64Array): number {
  let err = autoc[0];
  for (let i = 0; i < maxOrder; i++) {
    let r = -autoc[i + 1];
    for (let j = 0; j < i; j++) r -= lpc[j] * autoc[i - j];
    r /= err;
    lpc[i] = r;
    let j = 0;
    for (; j < i >> 1; j++) {
      const tmp = lpc[j];
      lpc[j] += r * lpc[i - 1 - j];
      lpc[i - 1 - j] += r * tmp;
    }
    if (i & 1) lpc[j] += lpc[j] * r;
    err *= 1 - r * r;
    for (let k = 0; k <= i; k++) coefs[i * 32 + k] = -lpc[k];
    errors[i] = err;
    if (err === 0) return i + 1;
  }
  return maxOrder;
}

/** Expected bits per residual sample for a prediction error (libFLAC's estimate). */
export function expectedBitsPerSample(error: number, errorScale: number): number {
  if (error > 0) {
    const bps = (0.5 * Math.log(errorScale * error)) / Math.LN2;
    return Math.max(bps, 0);
  }
  return error < 0 ? 1e32 : 0;
}

/** The order whose expected residual bits plus coefficient overhead is lowest. */
export function bestLpcOrder(errors: Float64Array, maxOrder: number, n: number, overheadPerOrder: number): number {
  const errorScale = 0.5 / n;
  let best = 1;
  let bestBits = Number.POSITIVE_INFINITY;
  for (let order = 1; order <= maxOrder; order++) {
    const bits = expectedBitsPerSample(errors[order - 1], errorScale) * (n - order) + order * overheadPerOrder;
    if (bits < bestBits) {
      best = order;
      bestBits = bits;
    }
  }
  return best;
}

/**
 * Quantizes coefficients `lp[off, off + order)` to `precision` signed bits with error feedback.
 * @returns the shift (>= 0), or -1 when the coefficients cannot be quantized
 */
export function quantizeCoefficients(lp: Float64Array, off: number, order: number, precision: number, out: Int32Array): number {
  const p = precision - 1;
  const qmax = (1 << p) - 1;
  const qmin = -(1 << p);
  let cmax = 0;
  for (let i = 0; i < order; i++) cmax = Math.max(cmax, Math.abs(lp[off + i]));
  if (cmax <= 0) return -1;
  const log2cmax = Math.floor(Math.log2(cmax)); // frexp exponent - 1
  let shift = p - log2cmax - 1;
  if (shift > 15) shift = 15;
  else if (shift < -16) return -1;
  const scale = shift >= 0 ? 2 ** shift : 2 ** shift;
  let error = 0;
  for (let i = 0; i < order; i++) {
    error += lp[off + i] * scale;
    let q = error < 0 ? -Math.round(-error) : Math.round(error);
    if (q > qmax) q = qmax;
    else if (q < qmin) q = qmin;
    error -= q;
    out[i] = q;
  }
  return Math.max(shift, 0);
}

/**
 * Residual of an LPC predictor: `res[i] = x[i] - (sum_j q[j] x[i-1-j]) >> shift` for `i` in
 * `[order, n)`, and the sum of |residual| of each partition of `partitionSize` samples into
 * `sums` (the Rice coder needs them; computing them here saves a pass). Exact for any input up
 * to 33 bits: `small` (the caller's proof that sums fit in int32) selects int32 arithmetic,
 * otherwise sums are exact doubles below 2^53. In the int32 case with up to 12 taps, `kernel` (the
 * WebAssembly SIMD one where it runs; null for TypeScript) computes the same residual and sums.
 * @returns false when a residual does not fit in 32 bits (FLAC forbids it)
 */
export function lpcResidual(
  x: Int32Array,
  n: number,
  q: Int32Array,
  order: number,
  shift: number,
  res: Int32Array,
  small: boolean,
  sums: Float64Array,
  partitionSize: number,
  kernel: WasmResidualKernel | null = wasmResidualKernel(),
): boolean {
  const fast = small && order <= 12 && partitionSize >= 12;
  if (fast && kernel) {
    kernel.compute(x, n, q, order, shift, res, sums, partitionSize);
    return true;
  }
  q.fill(0, order, 12); // the 8- and 12-tap loops read zero taps past the order
  for (let p = 0, a = order; a < n; p++) {
    const b = (p + 1) * partitionSize;
    let head = a;
    let sum = 0;
    if (fast) {
      if (a < 12) {
        sum = residualGeneric(x, res, a, 12, q, order, shift, true);
        head = 12;
      }
      sum += order <= 8 ? residual8(x, res, head, b, q, shift) : residual12(x, res, head, b, q, shift);
    } else {
      sum = residualGeneric(x, res, a, b, q, order, shift, small);
      if (sum < 0) return false;
    }
    sums[p] = sum;
    a = b;
  }
  return true;
}

/** Residual of `[a, b)` with any order; returns the sum of |residual|, or -1 if one overflows int32. */
function residualGeneric(
  x: Int32Array,
  res: Int32Array,
  a: number,
  b: number,
  q: Int32Array,
  order: number,
  shift: number,
  small: boolean,
): number {
  let total = 0;
  const scale = 2 ** -shift;
  for (let i = a; i < b; i++) {
    let sum = 0;
    for (let j = 0; j < order; j++) sum += small ? Math.imul(q[j], x[i - 1 - j]) : q[j] * x[i - 1 - j];
    const r = x[i] - (small ? sum >> shift : Math.floor(sum * scale));
    if (r > 2147483647 || r < -2147483648) return -1;
    res[i] = r;
    total += Math.abs(r);
  }
  return total;
}

/** Residual of `[a, b)` (a >= 12) for orders up to 8 in int32, with zero-padded taps kept in registers. */
function residual8(x: Int32Array, res: Int32Array, a: number, b: number, q: Int32Array, shift: number): number {
  // q holds zeros past the order (see padCoefficients)
  const q0 = q[0],
    q1 = q[1],
    q2 = q[2],
    q3 = q[3],
    q4 = q[4],
    q5 = q[5],
    q6 = q[6],
    q7 = q[7];
  let total = 0;
  for (let i = a; i < b; i++) {
    const sum =
      Math.imul(q0, x[i - 1]) +
      Math.imul(q1, x[i - 2]) +
      Math.imul(q2, x[i - 3]) +
      Math.imul(q3, x[i - 4]) +
      Math.imul(q4, x[i - 5]) +
      Math.imul(q5, x[i - 6]) +
      Math.imul(q6, x[i - 7]) +
      Math.imul(q7, x[i - 8]);
    const r = x[i] - (sum >> shift);
    res[i] = r;
    const m = r >> 31;
    total += (r ^ m) - m; // branchless |r|
  }
  return total;
}

/** Residual of `[a, b)` (a >= 12) for orders 9–12 in int32. */
function residual12(x: Int32Array, res: Int32Array, a: number, b: number, q: Int32Array, shift: number): number {
  const q0 = q[0],
    q1 = q[1],
    q2 = q[2],
    q3 = q[3],
    q4 = q[4],
    q5 = q[5],
    q6 = q[6],
    q7 = q[7];
  const q8 = q[8],
    q9 = q[9],
    q10 = q[10],
    q11 = q[11];
  let total = 0;
  for (let i = a; i < b; i++) {
    const sum =
      Math.imul(q0, x[i - 1]) +
      Math.imul(q1, x[i - 2]) +
      Math.imul(q2, x[i - 3]) +
      Math.imul(q3, x[i - 4]) +
      Math.imul(q4, x[i - 5]) +
      Math.imul(q5, x[i - 6]) +
      Math.imul(q6, x[i - 7]) +
      Math.imul(q7, x[i - 8]) +
      Math.imul(q8, x[i - 9]) +
      Math.imul(q9, x[i - 10]) +
      Math.imul(q10, x[i - 11]) +
      Math.imul(q11, x[i - 12]);
    const r = x[i] - (sum >> shift);
    res[i] = r;
    const m = r >> 31;
    total += (r ^ m) - m;
  }
  return total;
}
