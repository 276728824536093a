/**
 * MSB-first bit writer into a growable byte buffer. Pending bits (fewer than 8 after each
 * write) sit right-aligned in `acc`; callers reserve room per frame with {@link BitWriter.ensure}.
 */
export class BitWriter {
  buf: Uint8Array;
  /** Bytes completed so far. */
  pos = 0;
  acc = 0;
  nacc = 0;

  constructor(capacity = 1 << 16) {
    this.buf = new Uint8Array(capacity);
  }

  /** Makes room for `bytes` more bytes. */
  ensure(bytes: number): void {
    if (this.pos + bytes + 8 <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + bytes + 8) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  /** Writes the low `n` (0–32) bits of `v`. */
  write(v: number, n: number): void {
    if (n > 24) {
      this.write(Math.floor(v / 65536) & ((1 << (n - 16)) - 1), n - 16);
      this.write(v & 0xffff, 16);
      return;
    }
    const acc = (this.acc << n) | (v & ((1 << n) - 1));
    let nacc = this.nacc + n;
    const buf = this.buf;
    while (nacc >= 8) {
      nacc -= 8;
      buf[this.pos++] = acc >>> nacc;
    }
    this.acc = acc & ((1 << nacc) - 1);
    this.nacc = nacc;
  }

  /** Writes a signed value in `n` (1–32) bits, or up to 53 bits for the 33-bit side channel. */
  writeSigned(v: number, n: number): void {
    if (n > 32) {
      const u = v < 0 ? v + 2 ** n : v;
      this.write(Math.floor(u / 4294967296), n - 32);
      this.write(u >>> 0, 32);
    } else this.write(v < 0 && n < 32 ? v + 2 ** n : v >>> 0, n);
  }

  /** Writes `q` zero bits and a one (unary code). */
  writeUnary(q: number): void {
    while (q >= 24) {
      this.write(0, 24);
      q -= 24;
    }
    this.write(1, q + 1);
  }

  /** Pads with zero bits to a byte boundary. */
  alignToByte(): void {
    if (this.nacc > 0) this.write(0, 8 - this.nacc);
  }
}
