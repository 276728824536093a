import { LsbBitReader } from "./bit-reader.js";
import { type BlockHeader, blockError, type SubBlock } from "./block.js";
import { FLAG, ID, MAX_NTERMS, MAX_TERM, MONO_DATA } from "./constants.js";
import { DecorrPass, monoPass, stereoPass } from "./decorrelate.js";
import { type ExtendedInfo, fixupSamples } from "./fixup.js";
import { s8, s16, u32 } from "./little-endian.js";
import { exp2s, restoreWeight } from "./log2.js";
import type { WavpackKernel } from "./wasm-kernel.js";
import { WordDecoder, WordStreamEnd } from "./words.js";

/** The reason for refusing sample `i`, beyond the block's magnitude limit. */
function outOfRange(out: Int32Array, i: number, limit: number): string {
  return `decoded sample ${i} (${out[i]}) exceeds the block's magnitude limit ${limit} (corrupt block)`;
}

/**
 * The magnitude no sample of a block may pass (libwavpack's `mute_limit`): beyond it, the block
 * is corrupt. As libwavpack computes it, in 32 bits.
 */
function muteLimitOf(flags: number, hybrid: boolean): number {
  const limit = (2 ** ((flags >>> FLAG.MAG_LSB) & 0x1f) + 2) | 0;
  return hybrid ? (limit * 2 + 128) | 0 : limit;
}

/** A function that makes the error of block `number` at `offset` (made once per block, not per check). */
function blockFailure(number: number, offset: number): (reason: string) => Error {
  return (reason) => blockError(number, offset, reason);
}

/**
 * Decodes single WavPack blocks (libwavpack `unpack_init` + `unpack_samples`, without
 * correction files: hybrid blocks decode to their lossy signal). One decoder is reused for
 * every block of a chunk; nothing is allocated per sample.
 */
export class BlockDecoder {
  /** @param kernel - the WebAssembly kernel, or null for TypeScript only */
  constructor(private readonly kernel: WavpackKernel | null) {}

  private readonly passes = Array.from({ length: MAX_NTERMS }, () => new DecorrPass());
  private terms = 0;
  private readonly words = new WordDecoder();
  /** The block's audio bitstream, once its sub-block is read. */
  private wv: LsbBitReader | undefined;
  private readonly wvReader = new LsbBitReader();
  private readonly wvxReader = new LsbBitReader();
  private readonly info: ExtendedInfo = {
    int32SentBits: 0,
    int32Zeros: 0,
    int32Ones: 0,
    int32Dups: 0,
    int32MaxWidth: 0,
    floatFlags: 0,
    floatShift: 0,
    floatMaxExp: 0,
    floatMinShiftedZeros: 0,
    floatMaxShiftedOnes: 0,
    wvx: undefined,
    crcX: -1,
  };
  private wvxCrc = 0;

  /**
   * Decodes the audio of one block into `out`: `blockSamples` values for a mono block, or
   * twice that, interleaved, for a stereo one (a "false stereo" block is widened to two
   * equal channels). Returns the channel count, 1 or 2. Throws InvalidChunkError for
   * anything that libwavpack would mute: bad metadata, a stream that ends early, a sample
   * out of range, or a checksum that does not match.
   */
  decode(bytes: Uint8Array, header: BlockHeader, subBlocks: readonly SubBlock[], out: Int32Array): number {
    const { flags, number, offset } = header;
    const fail = blockFailure(number, offset);
    if (flags & FLAG.DSD) throw fail("DSD audio blocks are not supported");
    if ((flags & MONO_DATA) === MONO_DATA) throw fail("the block is flagged both mono and false stereo");
    this.init(bytes, header, subBlocks);
    const wv = this.wv;
    if (!wv) throw fail("the block has audio but no WV_BITSTREAM sub-block");
    const count = header.blockSamples;
    const mono = (flags & MONO_DATA) !== 0;
    const hybrid = (flags & FLAG.HYBRID) !== 0;
    const kernel = this.kernel;
    // the words in the WebAssembly kernel, where it takes them; else here
    const inKernel = kernel?.words(wv, this.words, count, !mono, hybrid ? flags : undefined) === true;
    if (!inKernel) this.decodeWords(wv, out, count, flags, fail);
    if (wv.overran) throw fail(`the audio bitstream needs more bits than its ${wv.consumed} (truncated or corrupt block)`);
    const muteLimit = muteLimitOf(flags, hybrid);
    const joint = (flags & FLAG.JOINT_STEREO) !== 0;
    const finished = kernel?.finish(this.passes, this.terms, out, count, mono, inKernel, { joint, muteLimit });
    if (finished && finished.beyond >= 0) throw fail(outOfRange(out, finished.beyond, muteLimit));
    let crc = finished?.crc;
    if (crc === undefined) {
      for (let t = 0; t < this.terms; t++)
        if (mono) monoPass(this.passes[t], out, count);
        else stereoPass(this.passes[t], out, count);
      crc = this.checkAndSum(out, count, joint, muteLimit, mono, fail);
    }
    fixupSamples(flags, this.info, out, count);
    if (this.info.wvx?.overran) throw fail("the extended-precision (WVX) bitstream is shorter than the block needs");
    if (crc !== header.crc >>> 0)
      throw fail(`sample checksum mismatch: header 0x${header.crc.toString(16)}, decoded 0x${crc.toString(16)} (corrupt block)`);
    if (this.info.wvx && this.info.crcX >>> 0 !== this.wvxCrc)
      throw fail(
        `extended-precision checksum mismatch: stored 0x${this.wvxCrc.toString(16)}, decoded 0x${(this.info.crcX >>> 0).toString(16)}`,
      );
    if (flags & FLAG.FALSE_STEREO) {
      for (let i = count - 1; i >= 0; i--) out[2 * i] = out[2 * i + 1] = out[i];
      return 2;
    }
    return mono ? 1 : 2;
  }

  /** The words of a block (residuals) into `out`, in TypeScript: where there is no kernel, or it declines. */
  private decodeWords(wv: LsbBitReader, out: Int32Array, count: number, flags: number, fail: (reason: string) => Error): void {
    const hybrid = (flags & FLAG.HYBRID) !== 0;
    try {
      if ((flags & MONO_DATA) !== 0) {
        if (hybrid) for (let i = 0; i < count; i++) out[i] = this.words.hybrid(wv, 0, flags);
        else this.words.lossless(wv, out, count, false);
      } else if (hybrid)
        for (let i = 0; i < 2 * count; i += 2) {
          out[i] = this.words.hybrid(wv, 0, flags);
          out[i + 1] = this.words.hybrid(wv, 1, flags);
        }
      else this.words.lossless(wv, out, count, true);
    } catch (error) {
      if (error instanceof WordStreamEnd) throw fail("the audio bitstream ends before the block's last sample");
      throw error;
    }
  }

  /**
   * Undoes joint stereo and computes the block's sample checksum, refusing any sample beyond
   * the magnitude the header allows (libwavpack's `mute_limit`: a sign of corrupt data).
   */
  private checkAndSum(
    out: Int32Array,
    count: number,
    joint: boolean,
    muteLimit: number,
    mono: boolean,
    fail: (reason: string) => Error,
  ): number {
    let crc = -1;
    if (mono) {
      for (let i = 0; i < count; i++) {
        const v = out[i];
        if (Math.abs(v) > muteLimit) throw fail(outOfRange(out, i, muteLimit));
        crc = (Math.imul(crc, 3) + v) | 0;
      }
      return crc >>> 0;
    }
    const end = 2 * count;
    for (let i = 0; i < end; i += 2) {
      if (joint) {
        out[i + 1] -= out[i] >> 1;
        out[i] += out[i + 1];
      }
      const left = out[i];
      crc = (crc + (crc << 3) + (left << 1) + left + out[i + 1]) | 0;
    }
    for (let i = 0; i < end; i += 16)
      if (Math.abs(out[i]) > muteLimit || Math.abs(out[i + 1]) > muteLimit) throw fail(outOfRange(out, i, muteLimit));
    return crc >>> 0;
  }

  /** `unpack_init`: resets the state and reads the block's metadata sub-blocks in order. */
  private init(bytes: Uint8Array, header: BlockHeader, subBlocks: readonly SubBlock[]): void {
    const { flags } = header;
    this.terms = 0;
    for (const pass of this.passes) {
      pass.term = pass.delta = pass.weightA = pass.weightB = 0;
      pass.samplesA.fill(0);
      pass.samplesB.fill(0);
    }
    this.words.reset();
    this.wv = undefined;
    const info = this.info;
    info.int32SentBits = info.int32Zeros = info.int32Ones = info.int32Dups = info.int32MaxWidth = 0;
    info.floatFlags = info.floatShift = info.floatMaxExp = info.floatMinShiftedZeros = info.floatMaxShiftedOnes = 0;
    info.wvx = undefined;
    info.crcX = -1;
    for (const sub of subBlocks) {
      const ok = this.readSubBlock(bytes, sub, flags, header.version);
      if (!ok) throw blockError(header.number, sub.start, `metadata sub-block 0x${sub.id.toString(16)} of ${sub.length} bytes is invalid`);
    }
  }

  /** `process_metadata` for the sub-blocks that matter to decoding; returns false when one is invalid. */
  private readSubBlock(bytes: Uint8Array, sub: SubBlock, flags: number, version: number): boolean {
    const { start, length } = sub;
    const mono = (flags & MONO_DATA) !== 0;
    switch (sub.id) {
      case ID.DECORR_TERMS: {
        if (length > MAX_NTERMS) return false;
        this.terms = length;
        for (let i = 0; i < length; i++) {
          const pass = this.passes[length - 1 - i];
          pass.term = (bytes[start + i] & 0x1f) - 5;
          pass.delta = (bytes[start + i] >> 5) & 7;
          const t = pass.term;
          if (!t || t < -3 || (t > MAX_TERM && t < 17) || t > 18 || (mono && t < 0)) return false;
        }
        return true;
      }
      case ID.DECORR_WEIGHTS: {
        const count = mono ? length : length >> 1;
        if (count > this.terms) return false;
        let p = start;
        for (let i = 0; i < count; i++) {
          const pass = this.passes[this.terms - 1 - i];
          pass.weightA = restoreWeight(s8(bytes, p++));
          if (!mono) pass.weightB = restoreWeight(s8(bytes, p++));
        }
        return true;
      }
      case ID.DECORR_SAMPLES:
        return this.readDecorrSamples(bytes, start, start + length, flags, version);
      case ID.ENTROPY_VARS:
        return this.words.readEntropyVars(bytes, start, length, flags);
      case ID.HYBRID_PROFILE:
        return this.words.readHybridProfile(bytes, start, length, flags);
      case ID.SHAPING_WEIGHTS:
        // Only a correction stream uses these; a lossy-only decode checks their size.
        return length === 2 || length >= (mono ? 4 : 8);
      case ID.FLOAT_INFO:
        if (length !== 4) return false;
        this.info.floatFlags = bytes[start];
        this.info.floatShift = bytes[start + 1];
        this.info.floatMaxExp = bytes[start + 2];
        return true;
      case ID.INT32_INFO:
        if (length !== 4) return false;
        this.info.int32SentBits = bytes[start];
        this.info.int32Zeros = bytes[start + 1];
        this.info.int32Ones = bytes[start + 2];
        this.info.int32Dups = bytes[start + 3];
        return true;
      case ID.WV_BITSTREAM:
        if (!length || length & 1) return false;
        this.wvReader.reset(bytes, start, start + length);
        this.wv = this.wvReader;
        return true;
      case ID.WVX_BITSTREAM:
      case ID.WVX_NEW_BITSTREAM: {
        if (length <= 4 || length & 1) return false;
        this.wvxCrc = u32(bytes, start);
        const wvx = this.wvxReader;
        wvx.reset(bytes, start + 4, start + length);
        if (sub.id === ID.WVX_NEW_BITSTREAM) {
          if (flags & FLAG.FLOAT_DATA) {
            this.info.floatMinShiftedZeros = wvx.bits(5);
            this.info.floatMaxShiftedOnes = wvx.bits(5);
          } else this.info.int32MaxWidth = wvx.bits(5);
        }
        this.info.wvx = wvx;
        return true;
      }
      case ID.WVC_BITSTREAM:
      case ID.DSD_BLOCK:
        return false;
      case ID.DUMMY:
      case ID.CHANNEL_INFO:
        return true;
      default:
        return (sub.id & ID.OPTIONAL_DATA) !== 0;
    }
  }

  /** `read_decorr_samples`: each pass's history, stored as logarithms, last pass first. */
  private readDecorrSamples(bytes: Uint8Array, start: number, end: number, flags: number, version: number): boolean {
    const mono = (flags & MONO_DATA) !== 0;
    let p = start;
    if (version === 0x402 && flags & FLAG.HYBRID) {
      if (p + (mono ? 2 : 4) > end) return false;
      p += mono ? 2 : 4; // noise-shaping error state, used only with a correction stream
    }
    for (let t = this.terms - 1; t >= 0 && p < end; t--) {
      const pass = this.passes[t];
      if (pass.term > MAX_TERM) {
        if (p + (mono ? 4 : 8) > end) return false;
        pass.samplesA[0] = exp2s(s16(bytes, p));
        pass.samplesA[1] = exp2s(s16(bytes, p + 2));
        p += 4;
        if (!mono) {
          pass.samplesB[0] = exp2s(s16(bytes, p));
          pass.samplesB[1] = exp2s(s16(bytes, p + 2));
          p += 4;
        }
      } else if (pass.term < 0) {
        if (p + 4 > end) return false;
        pass.samplesA[0] = exp2s(s16(bytes, p));
        pass.samplesB[0] = exp2s(s16(bytes, p + 2));
        p += 4;
      } else
        for (let m = 0; m < pass.term; m++) {
          if (p + (mono ? 2 : 4) > end) return false;
          pass.samplesA[m] = exp2s(s16(bytes, p));
          p += 2;
          if (!mono) {
            pass.samplesB[m] = exp2s(s16(bytes, p));
            p += 2;
          }
        }
    }
    return p === end;
  }
}
