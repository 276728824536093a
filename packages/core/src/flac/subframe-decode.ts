import type { BitReader } from "./bit-reader.js";
import { decodeResidual } from "./residual-decode.js";

/** Scratch buffers reused for every subframe of a stream (no allocation per frame). */
export interface SubframeScratch {
  /** Residuals of a wide (33-bit) subframe. */
  residual: Int32Array;
  /** LPC coefficients, as doubles for exact 64-bit-like sums. */
  coefs: Float64Array;
}

/** Allocates scratch buffers for blocks of up to `maxBlockSize` samples. */
export function createSubframeScratch(maxBlockSize: number): SubframeScratch {
  return { residual: new Int32Array(maxBlockSize), coefs: new Float64Array(32) };
}

interface SubframeHeader {
  type: number;
  wasted: number;
}

function readSubframeHeader(r: BitReader, bps: number): SubframeHeader {
  const start = r.bytePos;
  if (r.readBits(1) !== 0) r.fail("subframe padding bit is set", start);
  const type = r.readBits(6);
  let wasted = 0;
  if (r.readBits(1) === 1) {
    wasted = r.readUnary() + 1;
    if (wasted >= bps) r.fail(`subframe has ${wasted} wasted bits of ${bps}`, start);
  }
  if ((type >= 2 && type < 8) || (type >= 13 && type < 32)) r.fail(`reserved subframe type ${type}`, start);
  return { type, wasted };
}

/**
 * Decodes one subframe of up to 32 bits per sample into `out[off, off + n)`.
 * @param bps - bits per sample of this subframe (the side channel has one more)
 */
export function decodeSubframe(r: BitReader, out: Int32Array, off: number, n: number, bps: number, scratch: SubframeScratch): void {
  const { type, wasted } = readSubframeHeader(r, bps);
  const b = bps - wasted;
  if (type === 0) {
    out.fill(r.readSigned(b), off, off + n);
  } else if (type === 1) {
    for (let i = off; i < off + n; i++) out[i] = r.readSigned(b);
  } else {
    const order = type < 32 ? type - 8 : type - 31;
    if (order > n) r.fail(`predictor order ${order} exceeds block size ${n}`);
    for (let i = 0; i < order; i++) out[off + i] = r.readSigned(b);
    if (type < 32) {
      decodeResidual(r, out, off, n, order);
      restoreFixed(out, off, n, order);
    } else {
      const precision = r.readBits(4) + 1;
      const coefs = scratch.coefs;
      const shift = readLpcParams(r, order, precision, coefs);
      // libFLAC's rule: sums fit in int32 when bps + precision + log2(order) <= 32
      const fitsInt32 = b + precision + Math.ceil(Math.log2(order)) <= 32;
      if (!fitsInt32) r.mark();
      decodeResidual(r, out, off, n, order);
      restoreLpc(out, off, n, order, coefs, shift, true);
      if (!fitsInt32 && !sumsWereExact(out, off, n, order, coefs)) {
        // some sum may have passed int32: decode the residual again and sum exactly
        r.rewind();
        decodeResidual(r, out, off, n, order);
        restoreLpc(out, off, n, order, coefs, shift, false);
      }
    }
  }
  if (wasted > 0) for (let i = off; i < off + n; i++) out[i] <<= wasted;
}

/**
 * Decodes one subframe of up to 33 bits per sample (the side channel of 32-bit stereo) into
 * `out[0, n)` as exact doubles.
 */
export function decodeWideSubframe(r: BitReader, out: Float64Array, n: number, bps: number, scratch: SubframeScratch): void {
  const { type, wasted } = readSubframeHeader(r, bps);
  const b = bps - wasted;
  if (type === 0) {
    out.fill(r.readSignedWide(b), 0, n);
  } else if (type === 1) {
    for (let i = 0; i < n; i++) out[i] = r.readSignedWide(b);
  } else {
    const order = type < 32 ? type - 8 : type - 31;
    if (order > n) r.fail(`predictor order ${order} exceeds block size ${n}`);
    for (let i = 0; i < order; i++) out[i] = r.readSignedWide(b);
    const res = scratch.residual;
    if (type < 32) {
      decodeResidual(r, res, 0, n, order);
      for (let i = order; i < n; i++) {
        let p = 0;
        if (order === 1) p = out[i - 1];
        else if (order === 2) p = 2 * out[i - 1] - out[i - 2];
        else if (order === 3) p = 3 * out[i - 1] - 3 * out[i - 2] + out[i - 3];
        else if (order === 4) p = 4 * out[i - 1] - 6 * out[i - 2] + 4 * out[i - 3] - out[i - 4];
        out[i] = res[i] + p;
      }
    } else {
      const coefs = scratch.coefs;
      const shift = readLpcParams(r, order, r.readBits(4) + 1, coefs);
      decodeResidual(r, res, 0, n, order);
      const scale = 2 ** -shift;
      for (let i = order; i < n; i++) {
        let sum = 0;
        for (let j = 0; j < order; j++) sum += coefs[j] * out[i - 1 - j];
        out[i] = res[i] + Math.floor(sum * scale);
      }
    }
  }
  if (wasted > 0) {
    const m = 2 ** wasted;
    for (let i = 0; i < n; i++) out[i] *= m;
  }
}

/**
 * Whether the int32 sums of an LPC block were exact, judged from the decoded block: a 32-bit
 * stream's declared width says sums may reach 2^47, but recordings rarely use more than 16 of
 * the 32 bits. If the first wrong sample were at i, its true sum would exceed 2^31 although
 * every sample before it is right, so sum(|coef|) * max|sample| would reach 2^31; below that,
 * no sum wrapped and every sample is right.
 */
function sumsWereExact(x: Int32Array, off: number, n: number, order: number, c: Float64Array): boolean {
  let coefSum = 0;
  for (let j = 0; j < order; j++) coefSum += Math.abs(c[j] as number);
  let max = 0;
  for (let i = off; i < off + n; i++) {
    const v = x[i] as number;
    if (v > max) max = v;
    else if (-v > max) max = -v;
  }
  return coefSum * max < 2 ** 31;
}

/** Reads the LPC shift and coefficients (after the precision); returns the shift. */
function readLpcParams(r: BitReader, order: number, precision: number, coefs: Float64Array): number {
  const at = r.bytePos;
  if (precision === 16) r.fail("invalid LPC coefficient precision 15 (0b1111)", at);
  const shift = r.readSigned(5);
  if (shift < 0) r.fail(`negative LPC shift ${shift}`, at);
  for (let j = 0; j < order; j++) coefs[j] = r.readSigned(precision);
  return shift;
}

/** Adds the fixed-polynomial prediction to the residuals in place (int32 wrap-around is exact here). */
function restoreFixed(x: Int32Array, off: number, n: number, order: number): void {
  const end = off + n;
  switch (order) {
    case 1:
      for (let i = off + 1; i < end; i++) x[i] = (x[i] + x[i - 1]) | 0;
      break;
    case 2:
      for (let i = off + 2; i < end; i++) x[i] = (x[i] + 2 * x[i - 1] - x[i - 2]) | 0;
      break;
    case 3:
      for (let i = off + 3; i < end; i++) x[i] = (x[i] + 3 * (x[i - 1] - x[i - 2]) + x[i - 3]) | 0;
      break;
    case 4:
      for (let i = off + 4; i < end; i++) x[i] = (x[i] + 4 * (x[i - 1] + x[i - 3]) - 6 * x[i - 2] - x[i - 4]) | 0;
      break;
  }
}

/**
 * Adds the LPC prediction to the residuals in place. With `small` (bps + precision + log2(order)
 * <= 32, as libFLAC decides) sums are int32 and wrap as libFLAC's do (they fit in a valid
 * stream); otherwise they are exact doubles: |coef| < 2^15,
 * |sample| < 2^33 and order <= 32 keep them below 2^53. For orders up to 12 the previous samples
 * slide through local variables (zero-padded taps), so each sample is loaded and stored once.
 */
function restoreLpc(x: Int32Array, off: number, n: number, order: number, c: Float64Array, shift: number, small: boolean): void {
  const end = off + n;
  let i = off + order;
  const taps = order <= 8 ? 8 : 12;
  if (order > 12 || n <= taps) {
    for (; i < end; i++) x[i] = x[i] + predict(x, i, c, order, shift, small);
    return;
  }
  // samples before the first full window of taps take the generic loop
  for (; i < off + taps; i++) x[i] = x[i] + predict(x, i, c, order, shift, small);
  c.fill(0, order, 12);
  if (taps === 8) restore8(x, i, end, c, shift, small);
  else restore12(x, i, end, c, shift, small);
}

function restore8(x: Int32Array, i: number, end: number, c: Float64Array, shift: number, small: boolean): void {
  const c0 = c[0],
    c1 = c[1],
    c2 = c[2],
    c3 = c[3],
    c4 = c[4],
    c5 = c[5],
    c6 = c[6],
    c7 = c[7];
  let x1 = x[i - 1],
    x2 = x[i - 2],
    x3 = x[i - 3],
    x4 = x[i - 4],
    x5 = x[i - 5],
    x6 = x[i - 6],
    x7 = x[i - 7],
    x8 = x[i - 8];
  if (small) {
    for (; i < end; i++) {
      const sum =
        (Math.imul(c0, x1) +
          Math.imul(c1, x2) +
          Math.imul(c2, x3) +
          Math.imul(c3, x4) +
          Math.imul(c4, x5) +
          Math.imul(c5, x6) +
          Math.imul(c6, x7) +
          Math.imul(c7, x8)) |
        0;
      const v = (x[i] + (sum >> shift)) | 0;
      x[i] = v;
      x8 = x7;
      x7 = x6;
      x6 = x5;
      x5 = x4;
      x4 = x3;
      x3 = x2;
      x2 = x1;
      x1 = v;
    }
    return;
  }
  const scale = 2 ** -shift;
  for (; i < end; i++) {
    const sum = c0 * x1 + c1 * x2 + c2 * x3 + c3 * x4 + c4 * x5 + c5 * x6 + c6 * x7 + c7 * x8;
    const v = x[i] + Math.floor(sum * scale);
    x[i] = v;
    x8 = x7;
    x7 = x6;
    x6 = x5;
    x5 = x4;
    x4 = x3;
    x3 = x2;
    x2 = x1;
    x1 = v | 0;
  }
}

function restore12(x: Int32Array, i: number, end: number, c: Float64Array, shift: number, small: boolean): void {
  const c0 = c[0],
    c1 = c[1],
    c2 = c[2],
    c3 = c[3],
    c4 = c[4],
    c5 = c[5];
  const c6 = c[6],
    c7 = c[7],
    c8 = c[8],
    c9 = c[9],
    c10 = c[10],
    c11 = c[11];
  let x1 = x[i - 1],
    x2 = x[i - 2],
    x3 = x[i - 3],
    x4 = x[i - 4],
    x5 = x[i - 5],
    x6 = x[i - 6];
  let x7 = x[i - 7],
    x8 = x[i - 8],
    x9 = x[i - 9],
    x10 = x[i - 10],
    x11 = x[i - 11],
    x12 = x[i - 12];
  if (small) {
    for (; i < end; i++) {
      const sum =
        (Math.imul(c0, x1) +
          Math.imul(c1, x2) +
          Math.imul(c2, x3) +
          Math.imul(c3, x4) +
          Math.imul(c4, x5) +
          Math.imul(c5, x6) +
          Math.imul(c6, x7) +
          Math.imul(c7, x8) +
          Math.imul(c8, x9) +
          Math.imul(c9, x10) +
          Math.imul(c10, x11) +
          Math.imul(c11, x12)) |
        0;
      const v = (x[i] + (sum >> shift)) | 0;
      x[i] = v;
      x12 = x11;
      x11 = x10;
      x10 = x9;
      x9 = x8;
      x8 = x7;
      x7 = x6;
      x6 = x5;
      x5 = x4;
      x4 = x3;
      x3 = x2;
      x2 = x1;
      x1 = v;
    }
    return;
  }
  const scale = 2 ** -shift;
  for (; i < end; i++) {
    const sum = c0 * x1 + c1 * x2 + c2 * x3 + c3 * x4 + c4 * x5 + c5 * x6 + c6 * x7 + c7 * x8 + c8 * x9 + c9 * x10 + c10 * x11 + c11 * x12;
    const v = x[i] + Math.floor(sum * scale);
    x[i] = v;
    x12 = x11;
    x11 = x10;
    x10 = x9;
    x9 = x8;
    x8 = x7;
    x7 = x6;
    x6 = x5;
    x5 = x4;
    x4 = x3;
    x3 = x2;
    x2 = x1;
    x1 = v | 0;
  }
}

/** The LPC prediction of sample `i` from the `order` samples before it: a 32-bit sum with `small`, else exact. */
function predict(x: Int32Array, i: number, c: Float64Array, order: number, shift: number, small: boolean): number {
  if (small) {
    let sum = 0;
    for (let j = 0; j < order; j++) sum = (sum + Math.imul(c[j], x[i - 1 - j])) | 0;
    return sum >> shift;
  }
  let sum = 0;
  for (let j = 0; j < order; j++) sum += c[j] * x[i - 1 - j];
  return Math.floor(sum * 2 ** -shift);
}
