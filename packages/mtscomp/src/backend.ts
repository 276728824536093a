/**
 * zlib and SHA-1, the two services mtscomp needs from its platform. The default backend inflates
 * with the platform's `DecompressionStream` where there is one, and is otherwise pure JavaScript
 * (fflate and our SHA-1), which runs anywhere; `@flacarray/mtscomp/node` passes one on node:zlib
 * and node:crypto, whose asynchronous zlib runs chunks in parallel on libuv's threads.
 */
import { Unzlib, zlibSync } from "fflate";
import { hasDecompressionStream, INFLATE_STEP, inflateNative } from "./decompression-stream.js";
import { type Hasher, sha1 } from "./sha1.js";

/** What the reader and writer need from the platform. */
export interface Backend {
  /**
   * The bytes a zlib stream holds; rejects on corrupt or truncated streams and checksum errors.
   * @param expectedLength - the size it should inflate to (a hint for buffers and a bound)
   */
  inflate(stream: Uint8Array, expectedLength: number): Promise<Uint8Array>;
  /** A zlib stream (zlib wrapper, 32 KiB window) of `bytes` at `level` (-1: zlib's default, 6). */
  deflate(bytes: Uint8Array, level: number): Promise<Uint8Array>;
  /** A new SHA-1 hasher. */
  sha1(): Hasher;
}

/** The pure-JavaScript backend (fflate, our SHA-1): it runs anywhere. */
export const fflateBackend: Backend = {
  inflate: async (stream, expectedLength) => {
    const bytes = inflateAtMost(stream, expectedLength);
    // fflate does not check the Adler-32 trailer: do it, so a flipped bit is an error, not data
    if (stream.length < 6) throw new Error("zlib stream too short");
    const stored = new DataView(stream.buffer, stream.byteOffset + stream.length - 4, 4).getUint32(0);
    if (adler32(bytes) !== stored) throw new Error("incorrect data check (Adler-32 mismatch)");
    return bytes;
  },
  deflate: async (bytes, level) => zlibSync(bytes, { level: (level < 0 ? 6 : level) as 6 }),
  sha1,
};

/**
 * The default backend, for browsers and anywhere else: {@link fflateBackend}, except that chunks
 * are inflated by the platform's own zlib through `DecompressionStream` where there is one.
 */
export const portableBackend: Backend = {
  ...fflateBackend,
  inflate: (stream, expectedLength) =>
    hasDecompressionStream() ? inflateNative(stream, expectedLength) : fflateBackend.inflate(stream, expectedLength),
};

/**
 * Inflates a zlib stream that should hold `expectedLength` bytes, in steps, and stops as soon as
 * it holds more: a zlib bomb costs at most one step's worth of work and memory, not its full size.
 * @throws {Error} when the stream holds more or fewer bytes, or is corrupt
 */
function inflateAtMost(stream: Uint8Array, expectedLength: number): Uint8Array {
  const out = new Uint8Array(expectedLength);
  let length = 0;
  let over = false;
  const inflater = new Unzlib((piece) => {
    if (over || length + piece.length > expectedLength) {
      over = true;
      return;
    }
    out.set(piece, length);
    length += piece.length;
  });
  for (let at = 0; at < stream.length && !over; at += INFLATE_STEP) {
    inflater.push(stream.subarray(at, at + INFLATE_STEP), at + INFLATE_STEP >= stream.length);
  }
  if (over) throw new Error(`inflates to more than the ${expectedLength} bytes the header declares`);
  return out.subarray(0, length);
}

/** The Adler-32 checksum of `bytes` (RFC 1950). */
export function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < bytes.length; ) {
    // 5552 bytes is the most that cannot overflow before the modulo (zlib's NMAX)
    const end = Math.min(bytes.length, i + 5552);
    for (; i < end; i++) {
      a += bytes[i] as number;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}
