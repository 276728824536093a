import type { BitWriter } from "./bit-writer.js";

/** The partitioned Rice coding chosen for one residual. */
export interface RiceCoding {
  partitionOrder: number;
  /** Rice parameter of each partition. */
  params: Int32Array;
  /** Whether a parameter above 14 needs the RICE2 method (5-bit parameters). */
  rice2: boolean;
}

/** Largest partition order that divides the block and leaves the first partition longer than the predictor order. */
export function maxPartitionOrderFor(n: number, order: number, limit: number): number {
  let p = 0;
  while (p < limit && (n & ((2 << p) - 1)) === 0) p++;
  while (p > 0 && n >>> p <= order) p--;
  return p;
}

/**
 * Sums of |residual| per partition at partition order `top` (the first partition starts after
 * the predictor's warm-up samples).
 */
export function partitionSums(res: Int32Array, n: number, order: number, top: number, sums: Float64Array): void {
  const parts = 1 << top;
  const size = n >>> top;
  for (let p = 0, i = order; p < parts; p++) {
    const end = (p + 1) * size;
    let s = 0;
    for (; i < end; i++) {
      const r = res[i];
      const m = r >> 31;
      s += (r ^ m) - m; // branchless |r|: residual signs are random, a branch mispredicts half the time
    }
    sums[p] = s;
  }
}

/**
 * Chooses the partition order and Rice parameters of a residual with libFLAC's estimate
 * (the parameter of each partition from its sum of magnitudes).
 * @param sums - the partition sums at order `maxPartitionOrderFor(n, order, maxOrder)`
 *   (see {@link partitionSums}); overwritten
 * @returns the estimated bits of the coded residual (method and order fields included)
 */
export function chooseRiceCoding(
  n: number,
  order: number,
  minOrder: number,
  maxOrder: number,
  paramLimit: number,
  sums: Float64Array,
  out: RiceCoding,
  scratchParams: Int32Array,
): number {
  const top = maxPartitionOrderFor(n, order, maxOrder);
  const bottom = Math.min(minOrder, top);
  let bestBits = Number.POSITIVE_INFINITY;
  for (let po = top; po >= bottom; po--) {
    const np = 1 << po;
    if (po < top) for (let p = 0; p < np; p++) sums[p] = sums[2 * p] + sums[2 * p + 1]; // merge pairs
    let bits = 0;
    let rice2 = false;
    for (let p = 0; p < np; p++) {
      const samples = (n >>> po) - (p === 0 ? order : 0);
      const sum = sums[p];
      let k = 0;
      for (let t = samples; t < sum; t *= 2) k++;
      if (k >= paramLimit) k = paramLimit - 1;
      if (k > 14) rice2 = true;
      scratchParams[p] = k;
      bits += (1 + k) * samples + (k > 0 ? Math.floor(sum / 2 ** (k - 1)) : sum * 2) - (samples >>> 1);
    }
    bits += np * (rice2 ? 5 : 4);
    if (bits < bestBits) {
      bestBits = bits;
      out.partitionOrder = po;
      out.rice2 = rice2;
      for (let p = 0; p < np; p++) out.params[p] = scratchParams[p];
    }
  }
  return bestBits + 6;
}

/** Writes a residual with the chosen Rice coding. The hot loop of encoding. */
export function writeResidual(w: BitWriter, res: Int32Array, n: number, order: number, coding: RiceCoding): void {
  const po = coding.partitionOrder;
  w.write(coding.rice2 ? 1 : 0, 2);
  w.write(po, 4);
  const paramBits = coding.rice2 ? 5 : 4;
  const parts = 1 << po;
  const size = n >>> po;
  const buf = w.buf;
  let i = order;
  for (let p = 0; p < parts; p++) {
    const k = coding.params[p];
    w.write(k, paramBits);
    const end = (p + 1) * size;
    let acc = w.acc;
    let nacc = w.nacc;
    let pos = w.pos;
    const mask = (1 << k) - 1;
    for (; i < end; i++) {
      const r = res[i];
      const u = ((r << 1) ^ (r >> 31)) >>> 0;
      const q = u >>> k;
      if (q + k < 24) {
        // append q zeros, a one and k low bits; then store the 0-3 completed bytes without a
        // data-dependent loop (bytes past the new end are rewritten by the next code)
        const len = q + k + 1;
        acc = (acc << len) | (1 << k) | (u & mask);
        nacc += len;
        buf[pos] = acc >>> (nacc - 8);
        buf[pos + 1] = acc >>> (nacc - 16);
        buf[pos + 2] = acc >>> (nacc - 24);
        pos += nacc >>> 3;
        nacc &= 7;
        acc &= (1 << nacc) - 1;
      } else {
        w.acc = acc;
        w.nacc = nacc;
        w.pos = pos;
        w.writeUnary(q);
        w.write(u & mask, k);
        acc = w.acc;
        nacc = w.nacc;
        pos = w.pos;
      }
    }
    w.acc = acc;
    w.nacc = nacc;
    w.pos = pos;
  }
}
