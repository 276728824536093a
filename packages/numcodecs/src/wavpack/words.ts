import { codeIn, type LsbBitReader, windowAt } from "./bit-reader.js";
import { FLAG, MONO_DATA } from "./constants.js";
import { s16, u16 } from "./little-endian.js";
import { exp2s, log2 } from "./log2.js";

/** Thrown inside the word decoder when the stream ends early; the block decoder reports it. */
export class WordStreamEnd extends Error {}

/** "Slow level" time constant of hybrid bit-rate control. */
const SLS = 8;
const SLO = 1 << (SLS - 1);
/** Most consecutive 1s the encoder sends before an escape. */
const LIMIT_ONES = 16;

/**
 * The entropy decoder of one WavPack block (libwavpack `read_words.c`): an adaptive
 * Golomb-like code whose three running medians split residuals into zones, with runs of
 * zeros sent as counts. `median` holds channel 0's three medians, then channel 1's; the
 * typed arrays give the C code's unsigned 32-bit wrap-around for free.
 */
export class WordDecoder {
  readonly median = new Uint32Array(6);
  readonly slowLevel = new Uint32Array(2);
  readonly errorLimit = new Uint32Array(2);
  readonly bitrateAcc = new Uint32Array(2);
  readonly bitrateDelta = new Uint32Array(2);
  holdingOne = 0;
  holdingZero = 0;
  zerosAcc = 0;

  /** Clears everything, as `unpack_init` does for each block. */
  reset(): void {
    this.median.fill(0);
    this.slowLevel.fill(0);
    this.errorLimit.fill(0);
    this.bitrateAcc.fill(0);
    this.bitrateDelta.fill(0);
    this.holdingOne = 0;
    this.holdingZero = 0;
    this.zerosAcc = 0;
  }

  /** `read_entropy_vars`: the initial medians. Returns false when the length is wrong. */
  readEntropyVars(bytes: Uint8Array, start: number, length: number, flags: number): boolean {
    const mono = (flags & MONO_DATA) !== 0;
    if (length !== (mono ? 6 : 12)) return false;
    for (let i = 0; i < (mono ? 3 : 6); i++) this.median[i] = exp2s(u16(bytes, start + 2 * i));
    return true;
  }

  /** `read_hybrid_profile`: hybrid bit-rate state. Returns false when the length is wrong. */
  readHybridProfile(bytes: Uint8Array, start: number, length: number, flags: number): boolean {
    const perChannel = (flags & MONO_DATA) !== 0 ? 1 : 2;
    const end = start + length;
    let p = start;
    if (flags & FLAG.HYBRID_BITRATE) {
      if (p + 2 * perChannel > end) return false;
      for (let c = 0; c < perChannel; c++, p += 2) this.slowLevel[c] = exp2s(u16(bytes, p));
    }
    if (p + 2 * perChannel > end) return false;
    for (let c = 0; c < perChannel; c++, p += 2) this.bitrateAcc[c] = u16(bytes, p) * 65536;
    if (p < end) {
      if (p + 2 * perChannel > end) return false;
      for (let c = 0; c < perChannel; c++, p += 2) this.bitrateDelta[c] = exp2s(s16(bytes, p));
      if (p < end) return false;
    } else {
      this.bitrateDelta[0] = 0;
      this.bitrateDelta[1] = 0;
    }
    return true;
  }

  /**
   * `get_words_lossless`: `count` samples (mono) or sample pairs (stereo, interleaved) of a
   * lossless block into `out`. Throws {@link WordStreamEnd} at an end-of-stream code.
   */
  lossless(bits: LsbBitReader, out: Int32Array, count: number, stereo: boolean): void {
    // The hot loop of lossless decoding: the reader's position and the holding state live in
    // locals, and the common codes are read from one 32-bit window; escapes go through the reader.
    const median = this.median;
    const buf = bits.buf;
    let pos = bits.pos;
    let holdingOne = this.holdingOne;
    let holdingZero = this.holdingZero;
    const words = stereo ? count * 2 : count;
    for (let i = 0; i < words; ++i) {
      let c = stereo ? (i & 1) * 3 : 0;
      if (holdingZero) {
        holdingZero = 0;
        const m = median[c] as number;
        bits.pos = pos;
        const low = bits.code(m >>> 4);
        pos = bits.pos;
        median[c] = m - ((m + 126) >>> 7) * 2;
        out[i] = (buf[pos >>> 3] >>> (pos & 7)) & 1 ? ~low : low;
        pos++;
        if (++i === words) break;
        c = stereo ? (i & 1) * 3 : 0;
      }
      if ((median[0] as number) < 2 && !holdingOne && (median[3] as number) < 2) {
        if (this.zerosAcc) {
          if (--this.zerosAcc) {
            out[i] = 0;
            continue;
          }
        } else {
          bits.pos = pos;
          this.zerosAcc = escapedCount(bits);
          pos = bits.pos;
          if (this.zerosAcc) {
            median.fill(0);
            out[i] = 0;
            continue;
          }
        }
      }
      const zeros = ~windowAt(buf, pos) | 0x20000;
      let ones = 31 - Math.clz32(zeros & -zeros);
      if (ones < LIMIT_ONES) pos += ones + 1;
      else {
        bits.pos = pos;
        ones = readOnes(bits);
        pos = bits.pos;
      }
      const held = holdingOne;
      holdingOne = ones & 1;
      holdingZero = ~ones & 1;
      ones = (ones >>> 1) + held;
      // the zone of the residual, and the medians' update (libwavpack's GET_MED, INC_MED, DEC_MED)
      const m0 = median[c] as number;
      let low: number;
      let span: number;
      if (ones === 0) {
        low = 0;
        span = m0 >>> 4;
        median[c] = m0 - ((m0 + 126) >>> 7) * 2;
      } else {
        low = (m0 >>> 4) + 1;
        median[c] = m0 + ((m0 + 128) >>> 7) * 5;
        const m1 = median[c + 1] as number;
        if (ones === 1) {
          span = m1 >>> 4;
          median[c + 1] = m1 - ((m1 + 62) >>> 6) * 2;
        } else {
          low += (m1 >>> 4) + 1;
          median[c + 1] = m1 + ((m1 + 64) >>> 6) * 5;
          const m2 = median[c + 2] as number;
          span = m2 >>> 4;
          if (ones === 2) median[c + 2] = m2 - ((m2 + 30) >>> 5) * 2;
          else {
            low = (low + Math.imul(ones - 2, span + 1)) >>> 0;
            median[c + 2] = m2 + ((m2 + 32) >>> 5) * 5;
          }
        }
      }
      const packed = codeIn(windowAt(buf, pos), span);
      let value: number;
      if (packed >= 0) {
        value = (low + (packed >>> 5)) >>> 0;
        pos += packed & 31;
      } else {
        bits.pos = pos;
        value = (low + bits.code(span)) >>> 0;
        pos = bits.pos;
      }
      out[i] = (buf[pos >>> 3] >>> (pos & 7)) & 1 ? ~value : value;
      pos++;
    }
    bits.pos = pos;
    this.holdingOne = holdingOne;
    this.holdingZero = holdingZero;
  }

  /** Width minus one of the zone {@link zone} last found. */
  private zoneSpan = 0;

  /**
   * Finds the zone of a residual from its count of 1s, updates the medians, and returns the
   * zone's low end, wrapped to 32 bits as in C (its width minus one goes to `zoneSpan`).
   */
  private zone(c: number, ones: number): number {
    const median = this.median;
    let low: number;
    let high: number;
    if (ones === 0) {
      low = 0;
      high = (median[c] >>> 4) + 1 - 1;
      median[c] -= ((median[c] + 126) >>> 7) * 2;
    } else {
      low = (median[c] >>> 4) + 1;
      median[c] += ((median[c] + 128) >>> 7) * 5;
      if (ones === 1) {
        high = low + (median[c + 1] >>> 4) + 1 - 1;
        median[c + 1] -= ((median[c + 1] + 62) >>> 6) * 2;
      } else {
        low += (median[c + 1] >>> 4) + 1;
        median[c + 1] += ((median[c + 1] + 64) >>> 6) * 5;
        const med2 = (median[c + 2] >>> 4) + 1;
        if (ones === 2) {
          high = low + med2 - 1;
          median[c + 2] -= ((median[c + 2] + 30) >>> 5) * 2;
        } else {
          low = (low + Math.imul(ones - 2, med2)) >>> 0;
          high = low + med2 - 1;
          median[c + 2] += ((median[c + 2] + 32) >>> 5) * 5;
        }
      }
    }
    this.zoneSpan = high - low;
    return low >>> 0;
  }

  /**
   * `get_word`: one residual of a hybrid (lossy) block for channel `chan`. Without a
   * correction stream, values are only known to within the error limit: the decoder keeps
   * the middle of the interval, as libwavpack does.
   */
  hybrid(bits: LsbBitReader, chan: number, flags: number): number {
    const median = this.median;
    const c = chan * 3;
    if (!(median[0] & ~1) && !this.holdingZero && !this.holdingOne && !(median[3] & ~1)) {
      if (this.zerosAcc) {
        if (--this.zerosAcc) {
          this.slowLevel[chan] -= (this.slowLevel[chan] + SLO) >>> SLS;
          return 0;
        }
      } else {
        this.zerosAcc = escapedCount(bits);
        if (this.zerosAcc) {
          this.slowLevel[chan] -= (this.slowLevel[chan] + SLO) >>> SLS;
          median.fill(0);
          return 0;
        }
      }
    }
    let ones: number;
    if (this.holdingZero) {
      ones = 0;
      this.holdingZero = 0;
    } else {
      ones = readOnes(bits);
      if (this.holdingOne) {
        this.holdingOne = ones & 1;
        ones = (ones >>> 1) + 1;
      } else {
        this.holdingOne = ones & 1;
        ones >>>= 1;
      }
      this.holdingZero = ~this.holdingOne & 1;
    }
    if (flags & FLAG.HYBRID && chan === 0) this.updateErrorLimit(flags);
    const zoneLow = this.zone(c, ones);
    let low = zoneLow & 0x7fffffff;
    let high = ((zoneLow + this.zoneSpan) >>> 0) & 0x7fffffff;
    if (low > high) high = low;
    let mid = (high + low + 1) >>> 1;
    const limit = this.errorLimit[chan];
    if (!limit) mid = bits.code(high - low) + low;
    else
      while (high - low > limit) {
        if (bits.bit()) {
          low = mid;
          mid = (high + low + 1) >>> 1;
        } else {
          high = mid - 1;
          mid = (high + low + 1) >>> 1;
        }
      }
    const sign = bits.bit();
    if (flags & FLAG.HYBRID_BITRATE) {
      this.slowLevel[chan] -= (this.slowLevel[chan] + SLO) >>> SLS;
      this.slowLevel[chan] += log2(mid);
    }
    return sign ? ~mid : mid;
  }

  /** `update_error_limit`: the hybrid error limits for the next sample (pair). */
  private updateErrorLimit(flags: number): void {
    this.bitrateAcc[0] += this.bitrateDelta[0];
    let bitrate0 = this.bitrateAcc[0] >>> 16;
    if (flags & MONO_DATA) {
      if (flags & FLAG.HYBRID_BITRATE) this.errorLimit[0] = errorLimitFor((this.slowLevel[0] + SLO) >>> SLS, bitrate0);
      else this.errorLimit[0] = exp2s(bitrate0);
      return;
    }
    this.bitrateAcc[1] += this.bitrateDelta[1];
    let bitrate1 = this.bitrateAcc[1] >>> 16;
    if (flags & FLAG.HYBRID_BITRATE) {
      const slowLog0 = (this.slowLevel[0] + SLO) >>> SLS;
      const slowLog1 = (this.slowLevel[1] + SLO) >>> SLS;
      if (flags & FLAG.HYBRID_BALANCE) {
        const balance = (slowLog1 - slowLog0 + bitrate1 + 1) >> 1;
        if (balance > bitrate0) {
          bitrate1 = bitrate0 * 2;
          bitrate0 = 0;
        } else if (-balance > bitrate0) {
          bitrate0 = bitrate0 * 2;
          bitrate1 = 0;
        } else {
          bitrate1 = bitrate0 + balance;
          bitrate0 = bitrate0 - balance;
        }
      }
      this.errorLimit[0] = errorLimitFor(slowLog0, bitrate0);
      this.errorLimit[1] = errorLimitFor(slowLog1, bitrate1);
    } else {
      this.errorLimit[0] = exp2s(bitrate0);
      this.errorLimit[1] = exp2s(bitrate1);
    }
  }
}

/** The error limit of a channel from its slow level (as a log) and its bit rate. */
function errorLimitFor(slowLog: number, bitrate: number): number {
  return slowLog - bitrate > -0x100 ? exp2s(slowLog - bitrate + 0x100) : 0;
}

/**
 * An escaped count: n 1s and a 0, then n-1 bits below an implied top bit (n < 2 stands for
 * itself). 33 1s mark the end of the stream.
 */
function escapedCount(bits: LsbBitReader): number {
  let n = 0;
  while (n < 33 && bits.bit()) n++;
  if (n === 33) throw new WordStreamEnd();
  if (n < 2) return n;
  return (bits.bits(n - 1) | (2 ** (n - 1))) >>> 0;
}

/** The count of 1s that selects a residual's zone, with its escape for long runs. */
function readOnes(bits: LsbBitReader): number {
  const ones = bits.countOnes();
  if (ones < LIMIT_ONES) {
    bits.bit();
    return ones;
  }
  if (ones > LIMIT_ONES || bits.bit()) throw new WordStreamEnd();
  return (escapedCount(bits) + LIMIT_ONES) >>> 0;
}
