import { InvalidArgumentError, InvalidStreamError } from "../errors.js";
import { BitReader } from "./bit-reader.js";
import { crc16 } from "./crc.js";
import { createFrameHeader, type FrameHeader, parseFrameHeader } from "./frame-header.js";
import { MAX_BLOCK, maxSamplesIn } from "./limits.js";
import { readStreamInfo, type StreamInfo } from "./metadata.js";
import { type FrameWalk, frameStart, locateFrame } from "./seek.js";
import { createSubframeScratch, decodeSubframe, decodeWideSubframe, type SubframeScratch } from "./subframe-decode.js";
import { type WasmSubframeKernel, wasmSubframeKernel } from "./wasm-kernel.js";

/** Which code decodes subframes: WebAssembly (wasm/subframe.c) or TypeScript (subframe-decode.ts). */
export type SubframeKernelName = "wasm" | "typescript";

/** Options of the {@link FlacDecoder} constructor. */
export interface FlacDecoderOptions {
  /**
   * "wasm" (the default where WebAssembly runs) or "typescript". Both give the same samples and
   * the same errors; the TypeScript kernel is the reference and the fallback.
   */
  kernel?: SubframeKernelName;
}

/** Options of {@link FlacDecoder.decode}. */
export interface DecodeOptions {
  /** First sample (per channel) to decode. Default 0. */
  start?: number;
  /** One past the last sample to decode. Default: the end of the stream. */
  stop?: number;
  /** Where in `out` the first decoded value goes. Default 0. */
  outOffset?: number;
  /** Stream index for error messages. */
  stream?: number;
  /**
   * Samples in the stream when STREAMINFO says 0 (unknown), as flacarray's `stream_size` tells.
   * With it, a stream that ends early is an error, and seeking can bisect.
   */
  totalSamples?: number;
  /** Channels the caller expects; a stream with another count is an error. */
  channels?: number;
}

/**
 * A reusable FLAC decoder. It keeps its scratch buffers between calls, so decoding many
 * streams allocates nothing per frame. Output is interleaved 32-bit samples.
 * @example
 * const dec = new FlacDecoder();
 * const info = readStreamInfo(bytes);
 * const out = new Int32Array(1000 * info.channels);
 * dec.decode(bytes, out, { start: 5000, stop: 6000 });
 */
export class FlacDecoder {
  private scratch: SubframeScratch = createSubframeScratch(MAX_BLOCK);
  private chan0 = new Int32Array(MAX_BLOCK);
  private chan1 = new Int32Array(MAX_BLOCK);
  private wide = new Float64Array(MAX_BLOCK);
  private header = createFrameHeader();
  private firstHeader = createFrameHeader();
  private readonly wasm: WasmSubframeKernel | null;
  /**
   * Frames this decoder's WebAssembly kernel handed to the TypeScript one since it was made:
   * damaged frames (TypeScript says what is wrong), and the few kinds the kernel does not take
   * (more than 2 channels, 33-bit side channels). Valid streams of 1 or 2 channels of up to 32
   * bits leave it at 0; the tests check that, since a frame decoded twice costs several times one.
   */
  framesDecodedInTypeScript = 0;

  constructor(options: FlacDecoderOptions = {}) {
    this.wasm = options.kernel === "typescript" ? null : wasmSubframeKernel();
  }

  /** The kernel this decoder runs: "wasm", or "typescript" when asked or where WebAssembly cannot run. */
  get kernel(): SubframeKernelName {
    return this.wasm ? "wasm" : "typescript";
  }

  /**
   * Decodes samples `[start, stop)` of a FLAC stream into `out`, channels interleaved.
   * A start past 0 locates its frame from frame headers (or the SEEKTABLE) without
   * decoding the frames before it. Either exactly the samples asked for are written, or it throws:
   * frame numbers must run on from frame 0 without a gap, only the last frame may be short,
   * and with a known total the stream must hold exactly that many samples.
   * @param bytes - one complete FLAC stream
   * @param out - destination, at least `(stop - start) * channels` values from `outOffset`
   * @returns the number of samples per channel written
   * @throws {InvalidStreamError} on a corrupt or truncated stream, or a range past its end
   * @throws {InvalidArgumentError} for a range or offset that is not a whole number, or an output too small
   */
  decode(bytes: Uint8Array, out: Int32Array, options: DecodeOptions = {}): number {
    const stream = options.stream ?? -1;
    const start = options.start ?? 0;
    const outOffset = options.outOffset ?? 0;
    for (const [name, v] of [
      ["start", start],
      ["outOffset", outOffset],
      ["stop", options.stop ?? 0],
      ["totalSamples", options.totalSamples ?? 0],
    ] as const) {
      if (!Number.isSafeInteger(v) || v < 0) throw new InvalidArgumentError(`decode: ${name} is ${v}, expected a whole number >= 0`);
    }
    const info = readStreamInfo(bytes, stream);
    if (options.channels !== undefined && info.channels !== options.channels) {
      throw new InvalidStreamError(`stream has ${info.channels} channels, expected ${options.channels}`, stream, 8);
    }
    if (options.totalSamples !== undefined && info.totalSamples > 0 && info.totalSamples !== options.totalSamples) {
      throw new InvalidStreamError(`STREAMINFO says ${info.totalSamples} samples, expected ${options.totalSamples}`, stream, 8);
    }
    const total = info.totalSamples > 0 ? info.totalSamples : (options.totalSamples ?? 0);
    const known = total > 0 || options.totalSamples !== undefined;
    const stop = options.stop ?? (known ? total : Number.POSITIVE_INFINITY);
    if (start > stop || (known && stop > total)) {
      throw new InvalidStreamError(`sample range [${start}, ${stop}) outside the stream's ${total} samples`, stream, 0);
    }
    if (known && total > maxSamplesIn(bytes.length - info.firstFrameOffset)) {
      throw new InvalidStreamError(
        `${total} samples cannot fit in ${bytes.length - info.firstFrameOffset} bytes of frames`,
        stream,
        info.firstFrameOffset,
      );
    }
    const capacity = Math.floor((out.length - outOffset) / info.channels);
    if (out.length < outOffset || (Number.isFinite(stop) && capacity < stop - start)) {
      throw new InvalidArgumentError(
        `decode: the output holds ${Math.max(0, out.length - outOffset)} values from offset ${outOffset}, ${(stop - start) * info.channels} needed`,
      );
    }
    if (start === stop) return 0;
    const first = this.firstHeader;
    const problem = parseFrameHeader(bytes, info.firstFrameOffset, first);
    if (problem !== null) throw new InvalidStreamError(problem, stream, info.firstFrameOffset);
    if (first.number !== 0) {
      throw new InvalidStreamError(`first frame is numbered ${first.number}, expected 0`, stream, info.firstFrameOffset);
    }
    const walk: FrameWalk = { info, nominal: first.blockSize, total: known ? total : -1, stream, capacity };
    if (start >= first.blockSize) {
      const found = locateFrame(bytes, walk, start);
      if (found && found.offset > info.firstFrameOffset && chainsFromPredecessor(bytes, walk, found)) {
        try {
          return this.decodeFrames(bytes, walk, found, out, outOffset, start, stop);
        } catch (err) {
          // A false sync match can mislead the search; decoding from the first frame is always right.
          if (!(err instanceof InvalidStreamError)) throw err;
        }
      }
    }
    return this.decodeFrames(bytes, walk, first, out, outOffset, start, stop);
  }

  /**
   * Decodes samples `[start, stop)` from `part`: a piece of a fixed-block-size stream, fetched on
   * its own, that begins with the header of the frame holding `start` and runs on to the header
   * of the frame after `stop`, or to the stream's end. Every frame is checked as {@link decode}
   * checks it (CRC-8 and CRC-16, numbers that follow on, the frame after the range).
   * @param info - the stream's STREAMINFO (from its first bytes)
   * @param options - `nominal`: samples per frame (the first frame's block size); `partOffset`:
   *   where `part` starts in the stream, for error messages; `totalSamples`: the stream's length
   * @throws {InvalidStreamError} when `part` does not start with that frame or a frame is corrupt
   */
  decodePart(
    part: Uint8Array,
    info: StreamInfo,
    out: Int32Array,
    options: {
      start: number;
      stop: number;
      nominal: number;
      totalSamples: number;
      partOffset: number;
      outOffset?: number;
      stream?: number;
    },
  ): number {
    const { start, stop, nominal, totalSamples, partOffset } = options;
    const stream = options.stream ?? -1;
    const h = this.firstHeader;
    try {
      const problem = parseFrameHeader(part, 0, h);
      if (problem !== null) throw new InvalidStreamError(problem, stream, 0);
      const expected = Math.floor(start / nominal);
      if (h.variableBlockSize || h.number !== expected)
        throw new InvalidStreamError(`expected frame ${expected}, found ${h.number}`, stream, 0);
      const walk: FrameWalk = { info, nominal, total: totalSamples, stream, capacity: stop - start };
      return this.decodeFrames(part, walk, h, out, options.outOffset ?? 0, start, stop);
    } catch (err) {
      if (err instanceof InvalidStreamError)
        throw new InvalidStreamError(err.reason, err.stream, err.byteOffset + partOffset, { cause: err });
      throw err;
    }
  }

  /** Decodes frames from `from` on until `stop`, checking that each one follows on from the one before. */
  private decodeFrames(
    bytes: Uint8Array,
    walk: FrameWalk,
    from: FrameHeader,
    out: Int32Array,
    outOffset: number,
    start: number,
    stop: number,
  ): number {
    const { info, nominal, total, stream, capacity } = walk;
    const channels = info.channels;
    const r = new BitReader(bytes, 0, stream);
    const variable = from.variableBlockSize;
    let pos = from.offset;
    let sample = frameStart(walk, from);
    let expectedNumber = from.number;
    let shortFrameAt = -1;
    let written = 0;
    this.wasm?.reset();
    while (sample < stop) {
      if (pos >= bytes.length) {
        if (Number.isFinite(stop)) {
          throw new InvalidStreamError(`stream ends after ${sample} samples, ${stop} needed`, stream, pos);
        }
        break;
      }
      const h = this.header;
      const problem = parseFrameHeader(bytes, pos, h);
      if (problem !== null) throw new InvalidStreamError(problem, stream, pos);
      if (h.channels !== channels)
        throw new InvalidStreamError(`frame has ${h.channels} channels, STREAMINFO says ${channels}`, stream, pos);
      if (h.bitsPerSample !== 0 && h.bitsPerSample !== info.bitsPerSample) {
        throw new InvalidStreamError(`frame has ${h.bitsPerSample} bits per sample, STREAMINFO says ${info.bitsPerSample}`, stream, pos);
      }
      if (h.variableBlockSize !== variable || h.number !== expectedNumber) {
        throw new InvalidStreamError(`expected frame ${variable ? "at sample " : ""}${expectedNumber}, found ${h.number}`, stream, pos);
      }
      const n = h.blockSize;
      if (!variable) {
        if (shortFrameAt >= 0) {
          throw new InvalidStreamError(`frame follows a short frame at byte ${shortFrameAt}, which must be the last`, stream, pos);
        }
        if (n > nominal) throw new InvalidStreamError(`frame of ${n} samples in a stream of ${nominal}-sample frames`, stream, pos);
        if (n < nominal) shortFrameAt = pos;
      }
      if (total >= 0 && sample + n > total) {
        throw new InvalidStreamError(`frame ends at sample ${sample + n}, past the stream's ${total} samples`, stream, pos);
      }
      if (!Number.isFinite(stop) && sample + n - start > capacity) {
        throw new InvalidArgumentError(`decode: the output holds ${capacity} samples per channel; the stream has more`);
      }
      const lo = Math.max(start, sample) - sample;
      const hi = Math.min(stop, sample + n) - sample;
      const at = outOffset + (sample + lo - start) * channels;
      let next = this.wasm ? this.decodeFrameWasm(this.wasm, bytes, h, info.bitsPerSample, out, at, lo, hi) : -1;
      if (next < 0) {
        if (this.wasm) this.framesDecodedInTypeScript++;
        next = this.decodeFrame(r, h, info.bitsPerSample, out, at, lo, hi);
      }
      pos = next;
      if (hi > lo) written += hi - lo;
      sample += n;
      expectedNumber = variable ? sample : expectedNumber + 1;
    }
    if (sample === total) {
      if (pos !== bytes.length) throw new InvalidStreamError(`${bytes.length - pos} bytes follow the last frame`, stream, pos);
    } else if (pos >= bytes.length) {
      if (total >= 0) throw new InvalidStreamError(`stream ends after ${sample} samples, ${total} expected`, stream, pos);
    } else {
      // The frame after the range must follow on too, so that the range is bracketed by frames that chain into it.
      const h = this.header;
      const problem = parseFrameHeader(bytes, pos, h);
      if (problem !== null) throw new InvalidStreamError(problem, stream, pos);
      if (h.variableBlockSize !== variable || h.number !== expectedNumber) {
        throw new InvalidStreamError(`expected frame ${variable ? "at sample " : ""}${expectedNumber}, found ${h.number}`, stream, pos);
      }
    }
    return written;
  }

  /**
   * {@link decodeFrame} with the WebAssembly kernel, for frames of 1 or 2 channels whose
   * subframes are at most 32 bits wide.
   * @returns the next frame's offset, or -1 when the frame is not one of those or anything is
   *   wrong with it: then {@link decodeFrame} decodes it again and throws the error
   */
  private decodeFrameWasm(
    k: WasmSubframeKernel,
    bytes: Uint8Array,
    h: FrameHeader,
    streamBps: number,
    out: Int32Array,
    at: number,
    lo: number,
    hi: number,
  ): number {
    const n = h.blockSize;
    const bps = h.bitsPerSample || streamBps;
    const ca = h.channelAssignment;
    if (h.channels > 2 || (ca >= 8 && bps === 32)) return -1;
    // room for the frame unless it is larger than its samples stored verbatim (then -1, and TypeScript decodes it)
    k.cover(bytes, h.offset, h.bodyOffset - h.offset + Math.ceil((h.channels * (bps + 1) * n) / 8) + 64);
    let bit = (h.bodyOffset - k.windowStart) * 8;
    bit = k.decode(bit, 0, n, ca === 9 ? bps + 1 : bps);
    if (bit >= 0 && h.channels === 2) bit = k.decode(bit, 1, n, ca === 8 || ca === 10 ? bps + 1 : bps);
    if (bit < 0) return -1;
    const crcPos = k.windowStart + ((bit + 7) >>> 3);
    if (crcPos + 2 > k.windowEnd || k.crc16(h.offset, crcPos) !== ((bytes[crcPos] << 8) | bytes[crcPos + 1])) return -1;
    const [c0, c1] = k.channels;
    if (h.channels === 1) {
      out.set(c0.subarray(lo, hi), at);
    } else {
      if (ca >= 8) decorrelate(ca, c0, c1, n);
      for (let i = lo; i < hi; i++) {
        out[at++] = c0[i];
        out[at++] = c1[i];
      }
    }
    return crcPos + 2;
  }

  /** Decodes one frame, copies samples `[lo, hi)` of it to `out[at...]`, checks CRC-16; returns the next frame's offset. */
  private decodeFrame(r: BitReader, h: FrameHeader, streamBps: number, out: Int32Array, at: number, lo: number, hi: number): number {
    const n = h.blockSize;
    const bps = h.bitsPerSample || streamBps;
    const ca = h.channelAssignment;
    r.seek(h.bodyOffset);
    const c0 = this.chan0;
    const c1 = this.chan1;
    if (h.channels === 1) {
      if (lo === 0 && hi === n) decodeSubframe(r, out, at, n, bps, this.scratch);
      else {
        decodeSubframe(r, c0, 0, n, bps, this.scratch);
        for (let i = lo; i < hi; i++) out[at++] = c0[i];
      }
    } else if (ca <= 7) {
      for (let c = 0; c < h.channels; c++) {
        const buf = c === 0 ? c0 : c === 1 ? c1 : undefined;
        if (buf === undefined) r.fail(`${h.channels} channels; this decoder supports 1 or 2`, h.offset);
        decodeSubframe(r, buf, 0, n, bps, this.scratch);
      }
      for (let i = lo; i < hi; i++) {
        out[at++] = c0[i];
        out[at++] = c1[i];
      }
    } else if (bps < 32) {
      // side channel fits in 32 bits: int arithmetic
      decodeSubframe(r, c0, 0, n, ca === 9 ? bps + 1 : bps, this.scratch);
      decodeSubframe(r, c1, 0, n, ca === 9 ? bps : bps + 1, this.scratch);
      decorrelate(ca, c0, c1, n);
      for (let i = lo; i < hi; i++) {
        out[at++] = c0[i];
        out[at++] = c1[i];
      }
    } else {
      // 32-bit stereo: the side channel is 33 bits wide; combine in exact doubles
      const w = this.wide;
      if (ca === 9) {
        decodeWideSubframe(r, w, n, 33, this.scratch);
        decodeSubframe(r, c1, 0, n, 32, this.scratch);
      } else {
        decodeSubframe(r, c0, 0, n, 32, this.scratch);
        decodeWideSubframe(r, w, n, 33, this.scratch);
      }
      for (let i = lo; i < hi; i++) {
        const s = w[i];
        if (ca === 8) {
          out[at++] = c0[i];
          out[at++] = c0[i] - s;
        } else if (ca === 9) {
          out[at++] = s + c1[i];
          out[at++] = c1[i];
        } else {
          const m = c0[i] * 2 + (s - 2 * Math.floor(s / 2));
          out[at++] = Math.floor((m + s) / 2);
          out[at++] = Math.floor((m - s) / 2);
        }
      }
    }
    r.alignToByte();
    const crcPos = r.bytePos;
    const stored = r.readBits(16);
    r.checkNotPastEnd();
    const computed = crc16(r.bytes, h.offset, crcPos);
    if (stored !== computed) {
      r.fail(`frame CRC-16 mismatch (computed 0x${computed.toString(16)}, stored 0x${stored.toString(16)})`, h.offset);
    }
    return crcPos + 2;
  }
}

/**
 * Whether the frame before `frame` (found by its sample number) ends exactly where `frame`
 * begins: its CRC-16, stored in the two bytes before `frame`, covers everything from its header
 * on. Checked without decoding it, so that a located frame is known to follow on from the stream
 * before it.
 */
function chainsFromPredecessor(bytes: Uint8Array, walk: FrameWalk, frame: FrameHeader): boolean {
  const previous = locateFrame(bytes, walk, frameStart(walk, frame) - 1);
  if (!previous || previous.offset >= frame.offset - 2) return false;
  const follows = frame.variableBlockSize ? previous.number + previous.blockSize === frame.number : previous.number === frame.number - 1;
  return follows && crc16(bytes, previous.offset, frame.offset - 2) === ((bytes[frame.offset - 2] << 8) | bytes[frame.offset - 1]);
}

/** Undoes left/side, right/side or mid/side stereo in place (all values fit in int32). */
function decorrelate(ca: number, a: Int32Array, b: Int32Array, n: number): void {
  if (ca === 8) for (let i = 0; i < n; i++) b[i] = a[i] - b[i];
  else if (ca === 9) for (let i = 0; i < n; i++) a[i] = a[i] + b[i];
  else {
    for (let i = 0; i < n; i++) {
      const side = b[i];
      const mid = a[i] * 2 + (side & 1);
      a[i] = (mid + side) / 2;
      b[i] = (mid - side) / 2;
    }
  }
}

/**
 * Decodes a whole FLAC stream, allocating the output.
 * @param bytes - one complete FLAC stream
 * @param totalSamples - the sample count when STREAMINFO says 0 (unknown), as flacarray's `stream_size`
 *   tells. Without either, frames are decoded up to the last byte: a stream cut exactly at a frame
 *   boundary then cannot be told from a shorter one.
 * @param options - the decoder's options (its kernel)
 * @returns interleaved samples and the stream's STREAMINFO
 * @throws {InvalidStreamError} on a corrupt or truncated stream
 */
export function decodeFlac(
  bytes: Uint8Array,
  totalSamples?: number,
  options: FlacDecoderOptions = {},
): { samples: Int32Array; info: StreamInfo } {
  const info = readStreamInfo(bytes);
  const decoder = new FlacDecoder(options);
  const n = info.totalSamples || totalSamples;
  if (n !== undefined) {
    if (n > maxSamplesIn(bytes.length - info.firstFrameOffset)) {
      throw new InvalidStreamError(`${n} samples cannot fit in ${bytes.length - info.firstFrameOffset} bytes of frames`, -1, 0);
    }
    const samples = new Int32Array(n * info.channels);
    decoder.decode(bytes, samples, { totalSamples: n });
    return { samples, info };
  }
  // Unknown length: one linear pass into a buffer that grows as frames come.
  let samples = new Int32Array(Math.min(maxSamplesIn(bytes.length - info.firstFrameOffset), 1 << 16) * info.channels);
  for (;;) {
    try {
      const count = decoder.decode(bytes, samples);
      return { samples: samples.slice(0, count * info.channels), info };
    } catch (err) {
      const full = samples.length / info.channels;
      if (!(err instanceof InvalidArgumentError) || full >= maxSamplesIn(bytes.length - info.firstFrameOffset)) throw err;
      samples = new Int32Array(Math.min(full * 4, maxSamplesIn(bytes.length - info.firstFrameOffset)) * info.channels);
    }
  }
}
