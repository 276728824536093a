/**
 * LSB-first bit reader over one WavPack bitstream sub-block. libwavpack reads 16-bit
 * little-endian words low bit first, which is the same bit order as reading bytes low bit
 * first. The sub-block is copied into a reused buffer with zero padding, so that every read
 * is one unaligned 32-bit load (four bytes) and a shift, with no bounds checks; bits past
 * the end read as zero, and {@link overran} tells whether any were consumed (a corrupt or
 * truncated stream).
 */
export class LsbBitReader {
  /** The sub-block's bytes and 8 zero bytes (public for the entropy decoder's inlined loop). */
  buf = new Uint8Array(64);
  /** Next bit to read. */
  pos = 0;
  /** Bits the sub-block holds. */
  private size = 0;

  /** Starts reading `bytes[start, end)`. */
  reset(bytes: Uint8Array, start: number, end: number): void {
    const length = end - start;
    if (this.buf.length < length + 8) this.buf = new Uint8Array(Math.max(length + 8, this.buf.length * 2));
    this.buf.set(bytes.subarray(start, end));
    this.buf.fill(0, length, length + 8);
    this.pos = 0;
    this.size = length * 8;
  }

  /** At least the next 25 bits, lowest first (more above them, up to 32). */
  private window(): number {
    return windowAt(this.buf, this.pos);
  }

  /** One bit. */
  bit(): number {
    const p = this.pos++;
    return (this.buf[p >>> 3] >>> (p & 7)) & 1;
  }

  /** The next `n` bits (0 to 32) as an unsigned number, lowest bit first. */
  bits(n: number): number {
    if (n > 24) {
      const low = this.bits(16);
      return (low | (this.bits(n - 16) << 16)) >>> 0;
    }
    const value = this.window() & ((1 << n) - 1);
    this.pos += n;
    return value;
  }

  /**
   * Counts the 1 bits before the next 0 bit, looking at most 17 bits ahead, and consumes
   * the ones (not the zero). Returns 17 for 17 or more ones.
   */
  countOnes(): number {
    const zeros = ~this.window() | 0x20000;
    const ones = 31 - Math.clz32(zeros & -zeros);
    this.pos += ones;
    return ones;
  }

  /**
   * `read_code`: a value from 0 to `maxCode` (below 2^31), in the fewest bits: when the
   * count of codes is not a power of two, the short codes take one bit less.
   */
  code(maxCode: number): number {
    if (maxCode < 2) return maxCode === 0 ? 0 : this.bit();
    const bitCount = 32 - Math.clz32(maxCode);
    if (bitCount > 24) {
      const extras = 2 ** bitCount - maxCode - 1;
      let code = this.bits(bitCount - 1);
      if (code >= extras) code = code * 2 - extras + this.bit();
      return code;
    }
    const extras = (1 << bitCount) - maxCode - 1;
    const w = this.window();
    const code = w & ((1 << (bitCount - 1)) - 1);
    if (code >= extras) {
      this.pos += bitCount;
      return (code << 1) - extras + ((w >>> (bitCount - 1)) & 1);
    }
    this.pos += bitCount - 1;
    return code;
  }

  /** Bits the sub-block holds. */
  get sizeBits(): number {
    return this.size;
  }

  /** Bits consumed so far. */
  get consumed(): number {
    return this.pos;
  }

  /** Whether more bits were consumed than the sub-block holds. */
  get overran(): boolean {
    return this.pos > this.size;
  }
}

/**
 * The 32 bits of `buf` from bit `pos`, lowest first (at least 25 of them are real); `buf` must
 * have 3 bytes after the last one `pos` points into.
 */
export function windowAt(buf: Uint8Array, pos: number): number {
  const i = pos >>> 3;
  return (buf[i] | (buf[i + 1] << 8) | (buf[i + 2] << 16) | (buf[i + 3] << 24)) >>> (pos & 7);
}

/**
 * {@link LsbBitReader.code} on a window of bits, for the hot loop: returns `code << 5 | bits
 * used`, or -1 when `maxCode` needs more than 24 bits (the reader's method handles those).
 */
export function codeIn(window: number, maxCode: number): number {
  if (maxCode < 2) return maxCode === 0 ? 0 : ((window & 1) << 5) | 1;
  const bitCount = 32 - Math.clz32(maxCode);
  if (bitCount > 24) return -1;
  const extras = (1 << bitCount) - maxCode - 1;
  const code = window & ((1 << (bitCount - 1)) - 1);
  if (code >= extras) return ((((code << 1) - extras + ((window >>> (bitCount - 1)) & 1)) << 5) | bitCount) >>> 0;
  return (code << 5) | (bitCount - 1);
}
