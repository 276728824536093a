import { InvalidStreamError } from "../errors.js";

/**
 * MSB-first bit reader over a byte array. `cache` holds `nbits` unread bits left-aligned
 * in a 32-bit integer; the bits below them are always zero (the Rice decoder relies on it).
 * Reading past the end throws, so a truncated stream can never loop forever.
 */
export class BitReader {
  bytes: Uint8Array;
  /** Next byte to load into the cache. */
  pos: number;
  cache = 0;
  nbits = 0;
  /** Stream index reported in errors (-1 for a lone stream). */
  readonly stream: number;

  constructor(bytes: Uint8Array, pos: number, stream = -1) {
    this.bytes = bytes;
    this.pos = pos;
    this.stream = stream;
  }

  /** Byte offset of the next unread bit (rounded down). */
  get bytePos(): number {
    return this.pos - (this.nbits >>> 3);
  }

  private markPos = 0;
  private markCache = 0;
  private markNbits = 0;

  /** Remembers the current position, for one {@link rewind} (no allocation). */
  mark(): void {
    this.markPos = this.pos;
    this.markCache = this.cache;
    this.markNbits = this.nbits;
  }

  /** Returns to the position of the last {@link mark}. */
  rewind(): void {
    this.pos = this.markPos;
    this.cache = this.markCache;
    this.nbits = this.markNbits;
  }

  /** Drops the cache and continues at byte `pos`. */
  seek(pos: number): void {
    this.pos = pos;
    this.cache = 0;
    this.nbits = 0;
  }

  /** Skips to the next byte boundary. */
  alignToByte(): void {
    const r = this.nbits & 7;
    this.cache <<= r;
    this.nbits -= r;
  }

  /** Loads bytes until at least 25 bits are cached. */
  refill(): void {
    const bytes = this.bytes;
    while (this.nbits <= 24) {
      if (this.pos >= bytes.length) {
        if (this.pos >= bytes.length + 4) this.fail("unexpected end of stream");
        this.pos++;
      } else {
        this.cache |= bytes[this.pos++] << (24 - this.nbits);
      }
      this.nbits += 8;
    }
  }

  /** Throws once the reader has consumed bits past the end of the data. */
  checkNotPastEnd(): void {
    if (this.pos * 8 - this.nbits > this.bytes.length * 8) this.fail("unexpected end of stream", this.bytes.length);
  }

  /** Reads `n` (0–32) bits as an unsigned number. */
  readBits(n: number): number {
    if (n === 0) return 0;
    if (n > 24) return this.readBits(n - 16) * 65536 + this.readBits(16);
    if (this.nbits < n) this.refill();
    const v = this.cache >>> (32 - n);
    this.cache <<= n;
    this.nbits -= n;
    return v;
  }

  /** Reads `n` (1–32) bits as a two's complement signed number. */
  readSigned(n: number): number {
    const v = this.readBits(n);
    return n === 32 ? v | 0 : v >= 2 ** (n - 1) ? v - 2 ** n : v;
  }

  /** Reads a signed number of up to 53 bits (the 33-bit side channel of 32-bit stereo). */
  readSignedWide(n: number): number {
    if (n <= 32) return this.readSigned(n);
    const v = this.readBits(n - 32) * 4294967296 + this.readBits(32);
    return v >= 2 ** (n - 1) ? v - 2 ** n : v;
  }

  /** Reads a unary number: the count of 0 bits before the next 1 bit. */
  readUnary(): number {
    let q = 0;
    for (;;) {
      if (this.nbits === 0 || this.cache === 0) {
        q += this.nbits;
        this.cache = 0;
        this.nbits = 0;
        this.refill();
        continue;
      }
      const z = Math.clz32(this.cache);
      this.cache = (this.cache << z) << 1;
      this.nbits -= z + 1;
      return q + z;
    }
  }

  /** Throws an {@link InvalidStreamError} at the current position. */
  fail(reason: string, byteOffset = this.bytePos): never {
    throw new InvalidStreamError(reason, this.stream, byteOffset);
  }
}
