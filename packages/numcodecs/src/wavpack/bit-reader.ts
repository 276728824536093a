/**
 * LSB-first bit reader over one WavPack bitstream sub-block. libwavpack reads 16-bit
 * little-endian words low bit first, which is the same bit order as reading bytes low bit
 * first. Bytes past the end read as zero so that look-ahead never throws; {@link overran}
 * tells whether bits past the end were actually consumed (a corrupt or truncated stream).
 */
export class LsbBitReader {
  private readonly bytes: Uint8Array;
  private readonly start: number;
  private readonly end: number;
  /** Next byte to load. */
  private pos: number;
  /** Unread bits, lowest first. */
  private sr = 0;
  /** Number of unread bits in `sr` (0 to 32). */
  private bc = 0;

  /** Reads `bytes[start, end)`. */
  constructor(bytes: Uint8Array, start: number, end: number) {
    this.bytes = bytes;
    this.start = start;
    this.end = end;
    this.pos = start;
  }

  /** Loads bytes until more than 24 bits are buffered. */
  private fill(): void {
    while (this.bc <= 24) {
      const byte = this.pos < this.end ? this.bytes[this.pos] : 0;
      this.pos++;
      this.sr |= byte << this.bc;
      this.bc += 8;
    }
  }

  /** One bit. */
  bit(): number {
    if (this.bc === 0) this.fill();
    const bit = this.sr & 1;
    this.sr >>>= 1;
    this.bc--;
    return bit;
  }

  /** The next `n` bits (0 to 32) as an unsigned number, lowest bit first. */
  bits(n: number): number {
    if (n > 24) {
      const low = this.bits(16);
      return (low | (this.bits(n - 16) << 16)) >>> 0;
    }
    if (this.bc < n) this.fill();
    const value = this.sr & ((1 << n) - 1);
    this.sr >>>= n;
    this.bc -= n;
    return value;
  }

  /**
   * Counts the 1 bits before the next 0 bit, looking at most 17 bits ahead, and consumes
   * the ones (not the zero). Returns 17 for 17 or more ones.
   */
  countOnes(): number {
    if (this.bc < 17) this.fill();
    const zeros = ~this.sr;
    const ones = zeros === 0 ? 32 : 31 - Math.clz32(zeros & -zeros);
    const count = Math.min(ones, 17);
    this.sr >>>= count;
    this.bc -= count;
    return count;
  }

  /**
   * `read_code`: a value from 0 to `maxCode` (below 2^31), in the fewest bits: when the
   * count of codes is not a power of two, the short codes take one bit less.
   */
  code(maxCode: number): number {
    if (maxCode < 2) return maxCode === 0 ? 0 : this.bit();
    const bitCount = 32 - Math.clz32(maxCode);
    const extras = 2 ** bitCount - maxCode - 1;
    if (bitCount > 24) {
      let code = this.bits(bitCount - 1);
      if (code >= extras) code = code * 2 - extras + this.bit();
      return code;
    }
    if (this.bc < bitCount) this.fill();
    let code = this.sr & ((1 << (bitCount - 1)) - 1);
    if (code >= extras) {
      code = (code << 1) - extras + ((this.sr >>> (bitCount - 1)) & 1);
      this.sr >>>= bitCount;
      this.bc -= bitCount;
    } else {
      this.sr >>>= bitCount - 1;
      this.bc -= bitCount - 1;
    }
    return code;
  }

  /** Bits consumed so far. */
  get consumed(): number {
    return (this.pos - this.start) * 8 - this.bc;
  }

  /** Whether more bits were consumed than the sub-block holds. */
  get overran(): boolean {
    return this.consumed > (this.end - this.start) * 8;
  }
}
