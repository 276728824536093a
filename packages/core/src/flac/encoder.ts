import { InvalidArgumentError } from "../errors.js";
import { BitWriter } from "./bit-writer.js";
import { crc8, crc16 } from "./crc.js";
import { sampleSizeCode } from "./frame-header.js";
import { type LevelSettings, levelSettings, qlpPrecision } from "./levels.js";
import { writeStreamHeader } from "./metadata.js";
import { SubframeEncoder, type SubframePlan } from "./subframe-encode.js";

/** Options of {@link FlacEncoder}. */
export interface EncodeOptions {
  /** Compression level 0–8 with libFLAC's meaning. Default 5. */
  level?: number;
  /** Sample rate written in STREAMINFO. Default 44100, as flacarray writes. */
  sampleRate?: number;
  /** Samples per frame (16-65535), instead of the level's 1152 or 4096. */
  blockSize?: number;
  /**
   * Bits per sample written in the stream (8, 16, 24 or 32), instead of the smallest that holds
   * the values; values that do not fit are an error. flac-numcodecs' decoder needs 16.
   */
  bitsPerSample?: 8 | 16 | 24 | 32;
}

const INDEPENDENT = 1; // channel assignment code of 2 independent channels
const LEFT_SIDE = 8;
const RIGHT_SIDE = 9;
const MID_SIDE = 10;

/**
 * A reusable FLAC encoder for one or two channels of 32-bit integers. It writes a complete
 * stream (marker, STREAMINFO with the true sample count, frames) with the smallest bits per
 * sample that holds the values, and keeps its buffers between streams.
 * @example
 * const enc = new FlacEncoder({ level: 5 });
 * const bytes = enc.encode(new Int32Array([1, 2, 3]), 1);
 */
export class FlacEncoder {
  private readonly settings: LevelSettings;
  private readonly sampleRate: number;
  private readonly bitsPerSample: number | undefined;
  private readonly writer = new BitWriter();
  private readonly subframes = new Map<number, SubframeEncoder>();
  private readonly chans: Int32Array[];
  private plans: SubframePlan[] = [];

  /** @throws {InvalidArgumentError} for a level outside 0–8 */
  constructor(options: EncodeOptions = {}) {
    const { blockSize, bitsPerSample } = options;
    if (blockSize !== undefined && !(Number.isInteger(blockSize) && blockSize >= 16 && blockSize <= 65535))
      throw new InvalidArgumentError(`blockSize ${blockSize}, expected an integer from 16 to 65535`);
    if (bitsPerSample !== undefined && ![8, 16, 24, 32].includes(bitsPerSample))
      throw new InvalidArgumentError(`bitsPerSample ${bitsPerSample}, expected 8, 16, 24 or 32`);
    const settings = levelSettings(options.level ?? 5);
    this.settings = blockSize === undefined ? settings : { ...settings, blockSize };
    this.sampleRate = options.sampleRate ?? 44100;
    this.bitsPerSample = bitsPerSample;
    const b = this.settings.blockSize;
    this.chans = [new Int32Array(b), new Int32Array(b), new Int32Array(b), new Int32Array(b)];
  }

  /**
   * Encodes interleaved samples into one FLAC stream.
   * @param samples - `n * channels` values, channels interleaved
   * @param channels - 1 or 2
   * @returns the stream's bytes (a fresh copy)
   */
  encode(samples: Int32Array, channels: 1 | 2): Uint8Array {
    return this.encodeView(samples, channels).slice();
  }

  /**
   * {@link encode}, without the copy: the stream's bytes are a view of the encoder's own buffer,
   * valid until its next call. For callers that copy the stream on (into a larger output) anyway.
   */
  encodeView(samples: Int32Array, channels: 1 | 2): Uint8Array {
    if (channels !== 1 && channels !== 2) throw new InvalidArgumentError(`channels ${channels}, expected 1 or 2`);
    if (samples.length % channels !== 0) throw new InvalidArgumentError(`${samples.length} values do not split into ${channels} channels`);
    const n = samples.length / channels;
    const needed = bitsNeeded(samples);
    const bps = this.bitsPerSample ?? needed;
    if (needed > bps) throw new InvalidArgumentError(`the values need ${needed} bits per sample but the encoder writes ${bps}`);
    const sub = this.subframeEncoder(bps);
    if (this.plans.length === 0) this.plans = [sub.createPlan(), sub.createPlan(), sub.createPlan(), sub.createPlan()];
    const w = this.writer;
    w.pos = 0;
    w.acc = 0;
    w.nacc = 0;
    const blockSize = this.settings.blockSize;
    w.ensure(42);
    w.buf.set(writeStreamHeader({ blockSize, sampleRate: this.sampleRate, channels, bitsPerSample: bps, totalSamples: n }), 0);
    w.pos = 42;
    for (let frame = 0, start = 0; start < n; frame++, start += blockSize) {
      const size = Math.min(blockSize, n - start);
      w.ensure(Math.ceil((size * channels * 33) / 8) + 64);
      if (channels === 1) this.writeMonoFrame(samples, start, size, bps, frame, sub);
      else this.writeStereoFrame(samples, start, size, bps, frame, sub);
    }
    return w.buf.subarray(0, w.pos);
  }

  private subframeEncoder(bps: number): SubframeEncoder {
    const precision = qlpPrecision(bps, this.settings.blockSize);
    let sub = this.subframes.get(precision);
    if (!sub) {
      sub = new SubframeEncoder(this.settings, precision);
      this.subframes.set(precision, sub);
    }
    return sub;
  }

  private writeMonoFrame(samples: Int32Array, start: number, n: number, bps: number, frame: number, sub: SubframeEncoder): void {
    const x = this.chans[0];
    for (let i = 0; i < n; i++) x[i] = samples[start + i];
    const plan = sub.plan(x, n, bps, this.plans[0]);
    const begin = this.writeFrameHeader(n, 0, bps, frame);
    sub.write(this.writer, plan, n, bps);
    this.finishFrame(begin);
  }

  private writeStereoFrame(samples: Int32Array, start: number, n: number, bps: number, frame: number, sub: SubframeEncoder): void {
    const [left, right, mid, side] = this.chans;
    for (let i = 0, j = start * 2; i < n; i++, j += 2) {
      left[i] = samples[j];
      right[i] = samples[j + 1];
    }
    const [pl, pr, pm, ps] = this.plans;
    sub.plan(left, n, bps, pl);
    sub.plan(right, n, bps, pr);
    let assignment = INDEPENDENT;
    let first = pl;
    let second = pr;
    // Stereo decorrelation needs a side channel of bps + 1 bits; at 32 bits that is 33 bits, which
    // FLAC allows but gains nothing on flacarray's int64 halves: those stay independent.
    if (this.settings.midSide && bps < 32) {
      for (let i = 0; i < n; i++) {
        mid[i] = (left[i] + right[i]) >> 1;
        side[i] = left[i] - right[i];
      }
      sub.plan(mid, n, bps, pm);
      sub.plan(side, n, bps + 1, ps);
      let best = pl.bits + pr.bits;
      if (pl.bits + ps.bits < best) [best, assignment, first, second] = [pl.bits + ps.bits, LEFT_SIDE, pl, ps];
      if (ps.bits + pr.bits < best) [best, assignment, first, second] = [ps.bits + pr.bits, RIGHT_SIDE, ps, pr];
      if (pm.bits + ps.bits < best) [best, assignment, first, second] = [pm.bits + ps.bits, MID_SIDE, pm, ps];
    }
    const begin = this.writeFrameHeader(n, assignment, bps, frame);
    sub.write(this.writer, first, n, assignment === RIGHT_SIDE ? bps + 1 : bps);
    sub.write(this.writer, second, n, assignment === LEFT_SIDE || assignment === MID_SIDE ? bps + 1 : bps);
    this.finishFrame(begin);
  }

  /** Writes a fixed-block-size frame header; returns its byte offset. */
  private writeFrameHeader(n: number, assignment: number, bps: number, frame: number): number {
    const w = this.writer;
    const begin = w.pos;
    const nominal = this.settings.blockSize;
    let bsCode: number;
    if (n === nominal && n === 4096) bsCode = 12;
    else if (n === nominal && n === 1152) bsCode = 3;
    else bsCode = n <= 256 ? 6 : 7;
    const srCode = this.sampleRate === 44100 ? 9 : 0;
    w.write(0xfff8, 16);
    w.write((bsCode << 4) | srCode, 8);
    w.write((assignment << 4) | (sampleSizeCode(bps) << 1), 8);
    writeCodedNumber(w, frame);
    if (bsCode === 6) w.write(n - 1, 8);
    else if (bsCode === 7) w.write(n - 1, 16);
    w.write(crc8(w.buf, begin, w.pos), 8);
    return begin;
  }

  private finishFrame(begin: number): void {
    const w = this.writer;
    w.alignToByte();
    w.write(crc16(w.buf, begin, w.pos), 16);
  }
}

/** Writes a frame number in FLAC's UTF-8-like code. */
function writeCodedNumber(w: BitWriter, v: number): void {
  if (v < 0x80) {
    w.write(v, 8);
    return;
  }
  let extra = 1;
  while (extra < 6 && v >= 2 ** (6 + 5 * extra)) extra++;
  const lead = (0xff00 >> (extra + 1)) & 0xff;
  w.write(lead | Math.floor(v / 2 ** (6 * extra)), 8);
  for (let i = extra - 1; i >= 0; i--) w.write(0x80 | (Math.floor(v / 2 ** (6 * i)) & 0x3f), 8);
}

/**
 * The smallest byte-aligned bits per sample (8, 16, 24 or 32) that holds every value as a
 * signed integer. Byte-aligned sizes cost nothing in compression (wasted-bit detection and
 * the predictors do not depend on it) and keep every stream decodable by `flac -d` to raw.
 */
export function bitsNeeded(samples: Int32Array): number {
  // OR of v ^ (v >> 31) has the highest magnitude bit of any value set (branchless)
  let magnitude = 0;
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i];
    magnitude |= v ^ (v >> 31);
  }
  const bits = 33 - Math.clz32(magnitude); // magnitude bits plus the sign bit
  return bits <= 8 ? 8 : bits <= 16 ? 16 : bits <= 24 ? 24 : 32;
}
