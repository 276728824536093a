import type { BitReader } from "./bit-reader.js";

/**
 * Decodes a partitioned Rice residual (RICE or RICE2) into `out[off + order, off + blockSize)`.
 * @param r - reader positioned at the residual's coding method
 * @param out - destination; residual i of the block lands at `out[off + i]`
 */
export function decodeResidual(r: BitReader, out: Int32Array, off: number, blockSize: number, order: number): void {
  const method = r.readBits(2);
  if (method > 1) r.fail(`reserved residual coding method ${method}`);
  const paramBits = method === 0 ? 4 : 5;
  const escapeCode = method === 0 ? 15 : 31;
  const partitionOrder = r.readBits(4);
  const partitions = 1 << partitionOrder;
  const partitionSize = blockSize >>> partitionOrder;
  if (partitionSize << partitionOrder !== blockSize || partitionSize < order) {
    r.fail(`residual partition order ${partitionOrder} does not fit block size ${blockSize} with predictor order ${order}`);
  }
  let i = off + order;
  for (let p = 0; p < partitions; p++) {
    const end = off + (p + 1) * partitionSize;
    const k = r.readBits(paramBits);
    if (k === escapeCode) {
      const nbits = r.readBits(5);
      if (nbits === 0) out.fill(0, i, end);
      else for (; i < end; i++) out[i] = r.readSigned(nbits);
      i = end;
    } else {
      decodeRicePartition(r, out, i, end, k);
      i = end;
    }
  }
}

/** Decodes Rice codes with parameter `k` into `out[start, end)`. The hot loop of decoding. */
function decodeRicePartition(r: BitReader, out: Int32Array, start: number, end: number, k: number): void {
  if (k > 24) {
    for (let i = start; i < end; i++) {
      const u = ((r.readUnary() << k) | r.readBits(k)) >>> 0;
      out[i] = (u >>> 1) ^ -(u & 1);
    }
    return;
  }
  const bytes = r.bytes;
  const limit = bytes.length + 4;
  let cache = r.cache;
  let nbits = r.nbits;
  let pos = r.pos;
  const kShift = 32 - k;
  for (let i = start; i < end; i++) {
    // unary quotient: count zero bits up to the next 1 (bits below the cached ones are zero)
    let q = 0;
    while (cache === 0) {
      q += nbits;
      nbits = 0;
      if (pos >= limit) {
        r.pos = pos;
        r.fail("unexpected end of stream in residual");
      }
      do {
        cache |= (bytes[pos++] | 0) << (24 - nbits);
        nbits += 8;
      } while (nbits <= 24);
    }
    const z = Math.clz32(cache);
    q += z;
    cache = (cache << z) << 1;
    nbits -= z + 1;
    // k low bits
    if (nbits < k) {
      do {
        cache |= (bytes[pos++] | 0) << (24 - nbits);
        nbits += 8;
      } while (nbits <= 24);
    }
    const low = k === 0 ? 0 : cache >>> kShift;
    cache = k === 0 ? cache : cache << k;
    nbits -= k;
    const u = (q << k) | low;
    out[i] = (u >>> 1) ^ -(u & 1);
  }
  r.cache = cache;
  r.nbits = nbits;
  r.pos = pos;
  if (pos > bytes.length) r.checkNotPastEnd();
}
