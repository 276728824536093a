/**
 * Byte-level surgery on FLAC streams for tests: frame offsets, STREAMINFO edits and hand-made
 * frames. It uses the codec's own header parser and CRCs, so edited streams stay well-formed
 * wherever the test wants them to be.
 */
import { concatBytes } from "@flacarray/core";
import { BitWriter } from "../../packages/core/src/flac/bit-writer.js";
import { crc8, crc16 } from "../../packages/core/src/flac/crc.js";
import { createFrameHeader, parseFrameHeader } from "../../packages/core/src/flac/frame-header.js";
import { readStreamInfo } from "../../packages/core/src/flac/metadata.js";

/** Byte offsets of every frame of a well-formed stream, found by walking valid headers whose numbers run on. */
export function frameOffsets(bytes: Uint8Array): number[] {
  const info = readStreamInfo(bytes);
  const h = createFrameHeader();
  const offsets: number[] = [];
  for (let p = info.firstFrameOffset; p < bytes.length - 1; p++) {
    if (bytes[p] !== 0xff || (bytes[p + 1] & 0xfe) !== 0xf8) continue;
    if (parseFrameHeader(bytes, p, h) === null && h.number === offsets.length) offsets.push(p);
  }
  return offsets;
}

/** A copy with STREAMINFO's total sample count set to 0, as Python flacarray writes every stream. */
export function withUnknownTotal(bytes: Uint8Array): Uint8Array {
  const b = bytes.slice();
  b[8 + 13] &= 0xf0;
  b.fill(0, 8 + 14, 8 + 18);
  return b;
}

/** A copy with STREAMINFO's total sample count set to `total` (up to 2^36 - 1). */
export function withTotal(bytes: Uint8Array, total: number): Uint8Array {
  const b = bytes.slice();
  b[8 + 13] = (b[8 + 13] & 0xf0) | Math.floor(total / 2 ** 32);
  const lo = total >>> 0;
  b.set([lo >>> 24, (lo >>> 16) & 0xff, (lo >>> 8) & 0xff, lo & 0xff], 8 + 14);
  return b;
}

/** A copy with STREAMINFO's min and max block sizes replaced (no CRC protects them). */
export function withBlockSizes(bytes: Uint8Array, min: number, max: number): Uint8Array {
  const b = bytes.slice();
  b.set([min >>> 8, min & 0xff, max >>> 8, max & 0xff], 8);
  return b;
}

/**
 * A mono 16-bit stream of one VERBATIM frame whose header uses the explicit 16-bit block size
 * code, which can say 65536 (0xFFFF + 1) samples.
 */
export function verbatimStream(samples: Int16Array): Uint8Array {
  const n = samples.length;
  const head = new Uint8Array(42);
  head.set([0x66, 0x4c, 0x61, 0x43, 0x80, 0, 0, 34]);
  const bs = Math.min(n, 65535);
  head.set([bs >>> 8, bs & 0xff, bs >>> 8, bs & 0xff], 8);
  // 44100 Hz, mono, 16 bits, total n
  head.set([0x0a, 0xc4, 0x40, 0xf0 | Math.floor(n / 2 ** 32)], 8 + 10);
  head.set([(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff], 8 + 14);
  const frame = new Uint8Array(7 + 1 + 1 + 2 * n + 2);
  frame.set([0xff, 0xf8, 0x70, 0x08, 0x00, ((n - 1) >>> 8) & 0xff, (n - 1) & 0xff]);
  frame[7] = crc8(frame, 0, 7);
  frame[8] = 0x02; // VERBATIM, no wasted bits
  for (let i = 0; i < n; i++) {
    frame[9 + 2 * i] = (samples[i] >> 8) & 0xff;
    frame[10 + 2 * i] = samples[i] & 0xff;
  }
  const crc = crc16(frame, 0, frame.length - 2);
  frame[frame.length - 2] = crc >>> 8;
  frame[frame.length - 1] = crc & 0xff;
  return concatBytes([head, frame]);
}

/**
 * A mono 16-bit stream of one LPC frame of `warmUp.length + residuals.length` samples, its
 * residuals Rice-coded with `riceParameter` (0-30), or stored raw in 31 bits (an escaped
 * partition) without it. Valid CRCs whatever the numbers, so residuals can take samples far
 * outside 16 bits, where 32-bit LPC sums wrap.
 */
export function lpcStream(
  warmUp: number[],
  coefs: number[],
  precision: number,
  shift: number,
  residuals: number[],
  riceParameter?: number,
): Uint8Array {
  const order = warmUp.length;
  const n = order + residuals.length;
  const head = verbatimStream(new Int16Array(n)).subarray(0, 42);
  const w = new BitWriter();
  w.write(0xfff8, 16);
  w.write(0x70, 8); // block size: 16 bits at the end of the header; sample rate from STREAMINFO
  w.write(0x08, 8); // mono, 16 bits
  w.write(0, 8); // frame 0
  w.write(n - 1, 16);
  w.write(crc8(w.buf, 0, w.pos), 8);
  w.write((32 + order - 1) << 1, 8); // LPC of `order`, no wasted bits
  for (const v of warmUp) w.writeSigned(v, 16);
  w.write(precision - 1, 4);
  w.writeSigned(shift, 5);
  for (const c of coefs) w.writeSigned(c, precision);
  w.write(1, 2); // RICE2
  w.write(0, 4); // one partition
  if (riceParameter === undefined) {
    w.write(31, 5); // escaped
    w.write(31, 5); // raw 31-bit residuals
    for (const r of residuals) w.writeSigned(r, 31);
  } else {
    const k = riceParameter;
    w.write(k, 5);
    for (const r of residuals) {
      const u = r >= 0 ? 2 * r : -2 * r - 1;
      const q = Math.floor(u / 2 ** k);
      w.ensure(Math.ceil(q / 8) + 8);
      w.writeUnary(q);
      w.write(u - q * 2 ** k, k);
    }
  }
  w.alignToByte();
  w.write(crc16(w.buf, 0, w.pos), 16);
  return concatBytes([head, w.buf.slice(0, w.pos)]);
}
