import type { BitWriter } from "./bit-writer.js";
import type { LevelSettings } from "./levels.js";
import { bestLpcOrder, expectedBitsPerSample, levinson, lpcResidual, quantizeCoefficients, windowedAutocorrelation } from "./lpc.js";
import { wasmResidualKernel } from "./residual-kernel.js";
import { chooseRiceCoding, maxPartitionOrderFor, partitionSums, type RiceCoding, writeResidual } from "./rice-encode.js";
import { type BlockWindow, blockWindows } from "./window.js";

const CONSTANT = 0;
const VERBATIM = 1;
const FIXED = 2;
const LPC = 3;

/** One way of coding a subframe, with everything needed to write it. */
class SubframePlan implements RiceCoding {
  kind = VERBATIM;
  bits = Number.POSITIVE_INFINITY;
  order = 0;
  /** Verbatim samples, or the residual (samples `[order, n)`) with warm-up samples first. */
  residual: Int32Array;
  partitionOrder = 0;
  params = new Int32Array(256);
  rice2 = false;
  qlp = new Int32Array(32);
  precision = 0;
  shift = 0;
  /** Trailing zero bits removed from every sample before coding. */
  wasted = 0;

  constructor(maxBlock: number) {
    this.residual = new Int32Array(maxBlock);
  }
}

/** Swaps the contents of two plans (buffers included), so the better one survives without copying. */
function swapPlans(a: SubframePlan, b: SubframePlan): void {
  const { kind, bits, order, residual, partitionOrder, params, rice2, qlp, precision, shift, wasted } = a;
  a.kind = b.kind;
  a.bits = b.bits;
  a.order = b.order;
  a.residual = b.residual;
  a.partitionOrder = b.partitionOrder;
  a.params = b.params;
  a.rice2 = b.rice2;
  a.qlp = b.qlp;
  a.precision = b.precision;
  a.shift = b.shift;
  a.wasted = b.wasted;
  b.kind = kind;
  b.bits = bits;
  b.order = order;
  b.residual = residual;
  b.partitionOrder = partitionOrder;
  b.params = params;
  b.rice2 = rice2;
  b.qlp = qlp;
  b.precision = precision;
  b.shift = shift;
  b.wasted = wasted;
}

/**
 * Chooses and writes the subframes of one channel signal: CONSTANT, VERBATIM, the guessed best
 * FIXED order and, from level 3, the guessed best LPC order of each apodization window, as libFLAC
 * does; the fewest estimated bits wins. Owns all scratch memory (nothing is allocated per block).
 */
export class SubframeEncoder {
  private readonly settings: LevelSettings;
  private readonly qlpPrecision: number;
  private readonly trial: SubframePlan;
  private readonly shifted: Int32Array;
  private readonly autoc = new Float64Array(33);
  private readonly lpcCoefs = new Float64Array(32 * 32);
  private readonly lpcErrors = new Float64Array(32);
  private readonly lpcWork = new Float64Array(32);
  private readonly sums = new Float64Array(256);
  /** The fixed predictors' sums of {@link fixedErrors}, when TypeScript computes them. */
  private readonly fixedSums = new Float64Array(5);
  private readonly scratchParams = new Int32Array(256);
  private windows: BlockWindow[] = [];
  private windowsFor = -1;

  /**
   * @param settings - the compression level's settings
   * @param qlpPrecision - QLP coefficient precision of the stream
   */
  constructor(settings: LevelSettings, qlpPrecision: number) {
    this.settings = settings;
    this.qlpPrecision = qlpPrecision;
    const max = settings.blockSize;
    this.trial = new SubframePlan(max);
    this.shifted = new Int32Array(max);
  }

  /** Creates a plan buffer for {@link SubframeEncoder.plan}. */
  createPlan(): SubframePlan {
    return new SubframePlan(this.settings.blockSize);
  }

  /**
   * Finds the best coding of `x[0, n)` at `bps` bits per sample (33 for a 32-bit side channel
   * is not supported here: callers use independent channels at 32 bits).
   * @returns `out`, holding the chosen plan; `out.bits` is the estimated size in bits
   */
  plan(x: Int32Array, n: number, bps: number, out: SubframePlan): SubframePlan {
    let wasted = 0;
    let any = 0;
    let allSame = true;
    const x0 = x[0];
    for (let i = 0; i < n; i++) {
      any |= x[i];
      if (x[i] !== x0) allSame = false;
    }
    out.bits = Number.POSITIVE_INFINITY;
    if (allSame) {
      out.kind = CONSTANT;
      out.order = 0;
      out.residual[0] = x0;
      out.bits = 8 + bps;
      out.wasted = 0;
      return out;
    }
    // wasted bits: trailing zeros common to every sample
    if (any !== 0) while (((any >> wasted) & 1) === 0) wasted++;
    let sig = x;
    if (wasted > 0) {
      sig = this.shifted;
      for (let i = 0; i < n; i++) sig[i] = x[i] >> wasted;
    }
    const b = bps - wasted;
    const headerBits = 8 + wasted;
    // verbatim
    out.kind = VERBATIM;
    out.order = 0;
    out.bits = headerBits + n * b;
    if (n > 4) {
      if (this.settings.maxLpcOrder > 0) this.tryLpc(sig, n, b, headerBits, out);
      // libFLAC also codes the best fixed predictor beside LPC; fixed predictors are LPC
      // predictors with fixed coefficients, and on our benchmark that step gained 0.0005% in size
      // for 10% of the encoding time, so we try them only where LPC found nothing.
      if (out.kind !== LPC) this.tryFixed(sig, n, b, headerBits, out);
    }
    if (out.kind === VERBATIM) out.residual.set(sig.subarray(0, n));
    out.wasted = wasted;
    return out;
  }

  private keepIfBetter(out: SubframePlan): void {
    if (this.trial.bits < out.bits) swapPlans(this.trial, out);
  }

  private tryFixed(x: Int32Array, n: number, bps: number, headerBits: number, out: SubframePlan): void {
    // libFLAC's guess: the order with the smallest sum of absolute differences
    const kernel = bps <= 27 ? wasmResidualKernel() : null;
    const [e0, e1, e2, e3, e4] = kernel ? kernel.fixedErrors(x, n) : fixedErrors(x, n, this.fixedSums);
    let order: number;
    let total: number;
    if (e0 < Math.min(e1, e2, e3, e4)) [order, total] = [0, e0];
    else if (e1 < Math.min(e2, e3, e4)) [order, total] = [1, e1];
    else if (e2 < Math.min(e3, e4)) [order, total] = [2, e2];
    else if (e3 < e4) [order, total] = [3, e3];
    else [order, total] = [4, e4];
    const bitsPerSample = total > 0 ? Math.log((Math.LN2 * total) / (n - 4)) / Math.LN2 : 0;
    if (bitsPerSample >= bps) return;
    const t = this.trial;
    const res = t.residual;
    for (let i = 0; i < order; i++) res[i] = x[i];
    const top = maxPartitionOrderFor(n, order, this.settings.maxPartitionOrder);
    if (kernel) {
      // a fixed predictor is an LPC one with small whole coefficients and no shift: at up to 27 bits its sums fit in 32
      kernel.compute(x, n, FIXED_COEFFICIENTS[order] as Int32Array, order, 0, res, this.sums, n >>> top);
    } else {
      if (!fixedResidual(x, n, order, res)) return;
      partitionSums(res, n, order, top, this.sums);
    }
    t.kind = FIXED;
    t.order = order;
    t.bits = headerBits + order * bps + this.riceBits(n, order, bps, t);
    this.keepIfBetter(out);
  }

  private tryLpc(x: Int32Array, n: number, bps: number, headerBits: number, out: SubframePlan): void {
    const s = this.settings;
    const maxOrder = Math.min(s.maxLpcOrder, n - 1);
    if (maxOrder < 1) return;
    if (this.windowsFor !== n) {
      this.windows = blockWindows(n, s.subdivide);
      this.windowsFor = n;
    }
    for (const win of this.windows) {
      windowedAutocorrelation(x, win.values, win.start, win.end, maxOrder, this.autoc);
      if (this.autoc[0] === 0) continue;
      const computed = levinson(this.autoc, maxOrder, this.lpcCoefs, this.lpcErrors, this.lpcWork);
      const order = bestLpcOrder(this.lpcErrors, computed, n, bps + this.qlpPrecision);
      if (expectedBitsPerSample(this.lpcErrors[order - 1], 0.5 / (n - order)) >= bps) continue;
      // as libFLAC: at up to 17 bits, keep predictions within 32-bit arithmetic
      const precision = bps <= 17 ? Math.min(this.qlpPrecision, 32 - bps - Math.floor(Math.log2(order))) : this.qlpPrecision;
      const t = this.trial;
      const shift = quantizeCoefficients(this.lpcCoefs, (order - 1) * 32, order, precision, t.qlp);
      if (shift < 0) continue;
      const res = t.residual;
      for (let i = 0; i < order; i++) res[i] = x[i];
      const small = bps + precision + Math.ceil(Math.log2(order)) <= 32;
      const top = maxPartitionOrderFor(n, order, s.maxPartitionOrder);
      if (!lpcResidual(x, n, t.qlp, order, shift, res, small, this.sums, n >>> top)) continue;
      t.kind = LPC;
      t.order = order;
      t.precision = precision;
      t.shift = shift;
      t.bits = headerBits + order * bps + 4 + 5 + order * precision + this.riceBits(n, order, bps, t);
      this.keepIfBetter(out);
    }
  }

  /** Estimated bits of the residual whose partition sums are in `this.sums`; sets the plan's Rice coding. */
  private riceBits(n: number, order: number, bps: number, t: SubframePlan): number {
    const s = this.settings;
    return chooseRiceCoding(n, order, s.minPartitionOrder, s.maxPartitionOrder, bps > 16 ? 31 : 15, this.sums, t, this.scratchParams);
  }

  /** Writes a planned subframe of `n` samples at `bps` bits per sample. */
  write(w: BitWriter, p: SubframePlan, n: number, bps: number): void {
    const wasted = p.wasted;
    const b = bps - wasted;
    const type = p.kind === CONSTANT ? 0 : p.kind === VERBATIM ? 1 : p.kind === FIXED ? 8 + p.order : 31 + p.order;
    w.write(type, 7); // zero padding bit, then the 6-bit type
    if (wasted > 0) {
      w.write(1, 1);
      w.writeUnary(wasted - 1);
    } else w.write(0, 1);
    const res = p.residual;
    if (p.kind === CONSTANT) {
      w.writeSigned(res[0], b);
      return;
    }
    if (p.kind === VERBATIM) {
      for (let i = 0; i < n; i++) w.writeSigned(res[i], b);
      return;
    }
    for (let i = 0; i < p.order; i++) w.writeSigned(res[i], b);
    if (p.kind === LPC) {
      w.write(p.precision - 1, 4);
      w.write(p.shift, 5);
      for (let i = 0; i < p.order; i++) w.writeSigned(p.qlp[i], p.precision);
    }
    if (!wasmResidualKernel()?.writeResidual(w, res, n, p.order, p)) writeResidual(w, res, n, p.order, p);
  }
}

/** The plan type of {@link SubframeEncoder}. */
export type { SubframePlan };

/** Residual of fixed polynomial predictor `order` (0–4); false when one does not fit in 32 bits. */
function fixedResidual(x: Int32Array, n: number, order: number, res: Int32Array): boolean {
  let lo = 0;
  let hi = 0;
  if (order === 0) for (let i = 0; i < n; i++) res[i] = x[i];
  else if (order === 1) {
    for (let i = 1; i < n; i++) {
      const r = x[i] - x[i - 1];
      res[i] = r;
      if (r < lo) lo = r;
      else if (r > hi) hi = r;
    }
  } else if (order === 2) {
    for (let i = 2; i < n; i++) {
      const r = x[i] - 2 * x[i - 1] + x[i - 2];
      res[i] = r;
      if (r < lo) lo = r;
      else if (r > hi) hi = r;
    }
  } else if (order === 3) {
    for (let i = 3; i < n; i++) {
      const r = x[i] - 3 * (x[i - 1] - x[i - 2]) - x[i - 3];
      res[i] = r;
      if (r < lo) lo = r;
      else if (r > hi) hi = r;
    }
  } else {
    for (let i = 4; i < n; i++) {
      const r = x[i] - 4 * (x[i - 1] + x[i - 3]) + 6 * x[i - 2] + x[i - 4];
      res[i] = r;
      if (r < lo) lo = r;
      else if (r > hi) hi = r;
    }
  }
  return lo >= -2147483648 && hi <= 2147483647;
}

/** The fixed predictors of orders 0-4 as LPC coefficients (newest sample first). */
const FIXED_COEFFICIENTS = [[], [1], [2, -1], [3, -3, 1], [4, -6, 4, -1]].map((q) => Int32Array.from(q));

/**
 * libFLAC's measure of the fixed predictors: the sums of |x[i]| and of |its 1st to 4th
 * differences| for i in `[4, n)`, exact, into `out` (returned).
 */
export function fixedErrors(x: Int32Array, n: number, out: Float64Array): Float64Array {
  let e0 = 0;
  let e1 = 0;
  let e2 = 0;
  let e3 = 0;
  let e4 = 0;
  let l0 = x[3] as number;
  let l1 = (x[3] as number) - (x[2] as number);
  let l2 = (x[3] as number) - 2 * (x[2] as number) + (x[1] as number);
  let l3 = (x[3] as number) - 3 * (x[2] as number) + 3 * (x[1] as number) - (x[0] as number);
  for (let i = 4; i < n; i++) {
    const d0 = x[i] as number;
    const d1 = d0 - l0;
    const d2 = d1 - l1;
    const d3 = d2 - l2;
    const d4 = d3 - l3;
    e0 += Math.abs(d0);
    e1 += Math.abs(d1);
    e2 += Math.abs(d2);
    e3 += Math.abs(d3);
    e4 += Math.abs(d4);
    l0 = d0;
    l1 = d1;
    l2 = d2;
    l3 = d3;
  }
  out[0] = e0;
  out[1] = e1;
  out[2] = e2;
  out[3] = e3;
  out[4] = e4;
  return out;
}
