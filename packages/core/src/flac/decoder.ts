import { InvalidStreamError } from "../errors.js";
import { BitReader } from "./bit-reader.js";
import { crc16 } from "./crc.js";
import { createFrameHeader, type FrameHeader, parseFrameHeader } from "./frame-header.js";
import { readStreamInfo, type StreamInfo } from "./metadata.js";
import { locateFrame } from "./seek.js";
import { createSubframeScratch, decodeSubframe, decodeWideSubframe, type SubframeScratch } from "./subframe-decode.js";

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

const MAX_BLOCK = 65535;

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

  /**
   * Decodes samples `[start, stop)` of a FLAC stream into `out`, channels interleaved.
   * A start past 0 locates its frame from frame headers (or the SEEKTABLE) without
   * decoding the frames before it.
   * @param bytes - one complete FLAC stream
   * @param out - destination, at least `(stop - start) * channels` values from `outOffset`
   * @returns the number of samples per channel written
   * @throws {InvalidStreamError} on a corrupt or truncated stream, or a range past its end
   */
  decode(bytes: Uint8Array, out: Int32Array, options: DecodeOptions = {}): number {
    const stream = options.stream ?? -1;
    const info = readStreamInfo(bytes, stream);
    if (options.channels !== undefined && info.channels !== options.channels) {
      throw new InvalidStreamError(`stream has ${info.channels} channels, expected ${options.channels}`, stream, 8);
    }
    if (options.totalSamples !== undefined && info.totalSamples > 0 && info.totalSamples !== options.totalSamples) {
      throw new InvalidStreamError(`STREAMINFO says ${info.totalSamples} samples, expected ${options.totalSamples}`, stream, 8);
    }
    const total = info.totalSamples > 0 ? info.totalSamples : (options.totalSamples ?? 0);
    const start = options.start ?? 0;
    const stop = options.stop ?? (total > 0 ? total : Number.POSITIVE_INFINITY);
    const outOffset = options.outOffset ?? 0;
    if (start < 0 || start > stop || (total > 0 && stop > total)) {
      throw new InvalidStreamError(`sample range [${start}, ${stop}) outside the stream's ${total} samples`, stream, 0);
    }
    if (start === stop) return 0;
    if (Number.isFinite(stop) && out.length < outOffset + (stop - start) * info.channels) {
      throw new InvalidStreamError(
        `output buffer holds ${out.length - outOffset} values, ${(stop - start) * info.channels} needed`,
        stream,
        0,
      );
    }
    if (start > 0) {
      const frame = locateFrame(bytes, info, start, total);
      if (frame) {
        try {
          return this.decodeFrames(bytes, info, frame, out, outOffset, start, stop, stream);
        } catch (err) {
          // A false sync match can mislead the search; decoding from the first frame is always right.
          if (!(err instanceof InvalidStreamError)) throw err;
        }
      }
    }
    return this.decodeFrames(bytes, info, null, out, outOffset, start, stop, stream);
  }

  private decodeFrames(
    bytes: Uint8Array,
    info: StreamInfo,
    from: FrameHeader | null,
    out: Int32Array,
    outOffset: number,
    start: number,
    stop: number,
    stream: number,
  ): number {
    const channels = info.channels;
    const r = new BitReader(bytes, 0, stream);
    let pos = from ? from.offset : info.firstFrameOffset;
    let firstVariable = false;
    let haveFirst = false;
    let sample = -1;
    let expectedNumber = -1;
    let written = 0;
    while (sample < stop) {
      if (pos >= bytes.length) {
        if (Number.isFinite(stop)) {
          throw new InvalidStreamError(`stream ends after ${Math.max(sample, 0)} samples, ${stop} needed`, stream, pos);
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
      if (!haveFirst) {
        haveFirst = true;
        firstVariable = h.variableBlockSize;
        expectedNumber = h.number;
        sample = h.variableBlockSize ? h.number : h.number * nominalBlockSize(info, h);
      } else if (h.variableBlockSize !== firstVariable || h.number !== expectedNumber) {
        throw new InvalidStreamError(
          `expected frame ${h.variableBlockSize ? "at sample " : ""}${expectedNumber}, found ${h.number}`,
          stream,
          pos,
        );
      }
      const n = h.blockSize;
      const lo = Math.max(start, sample) - sample;
      const hi = Math.min(stop, sample + n) - sample;
      pos = this.decodeFrame(r, h, info.bitsPerSample, out, outOffset + (sample + lo - start) * channels, lo, hi);
      if (hi > lo) written += hi - lo;
      sample += n;
      expectedNumber = h.variableBlockSize ? sample : expectedNumber + 1;
    }
    return written;
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

/** Samples per frame of a fixed-block-size stream. */
export function nominalBlockSize(info: StreamInfo, first: FrameHeader): number {
  return info.minBlockSize === info.maxBlockSize && info.maxBlockSize >= 16 ? info.maxBlockSize : first.blockSize;
}

/**
 * Decodes a whole FLAC stream, allocating the output.
 * @param bytes - one complete FLAC stream
 * @param totalSamples - the sample count when STREAMINFO says 0 (unknown); else frames are counted
 * @returns interleaved samples and the stream's STREAMINFO
 * @throws {InvalidStreamError} on a corrupt or truncated stream
 */
export function decodeFlac(bytes: Uint8Array, totalSamples?: number): { samples: Int32Array; info: StreamInfo } {
  const info = readStreamInfo(bytes);
  const n = info.totalSamples || totalSamples || countSamples(bytes, info);
  const samples = new Int32Array(n * info.channels);
  new FlacDecoder().decode(bytes, samples, { stop: n, totalSamples: n });
  return { samples, info };
}

/** Counts the samples of a stream whose STREAMINFO does not say, by walking frame headers from the end. */
function countSamples(bytes: Uint8Array, info: StreamInfo): number {
  const first = createFrameHeader();
  const problem = parseFrameHeader(bytes, info.firstFrameOffset, first);
  if (problem !== null) throw new InvalidStreamError(problem, -1, info.firstFrameOffset);
  const h = createFrameHeader();
  // The last frame header is the last valid sync in the stream; verify a candidate by decoding it.
  for (let p = bytes.length - 6; p >= info.firstFrameOffset; p--) {
    if (bytes[p] !== 0xff || (bytes[p + 1] & 0xfe) !== 0xf8) continue;
    if (parseFrameHeader(bytes, p, h) !== null || h.channels !== info.channels) continue;
    const startSample = h.variableBlockSize ? h.number : h.number * nominalBlockSize(info, first);
    const scratch = new Int32Array(h.blockSize * info.channels);
    try {
      new FlacDecoder().decode(bytes, scratch, {
        start: startSample,
        stop: startSample + h.blockSize,
        totalSamples: startSample + h.blockSize,
      });
      return startSample + h.blockSize;
    } catch (err) {
      if (!(err instanceof InvalidStreamError)) throw err;
    }
  }
  throw new InvalidStreamError("no valid frame found", -1, info.firstFrameOffset);
}
