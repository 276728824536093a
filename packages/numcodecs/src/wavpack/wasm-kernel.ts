import { _internalLoadWasmKernel as loadWasmKernel } from "@flacarray/core";
import type { LsbBitReader } from "./bit-reader.js";
import type { DecorrPass } from "./decorrelate.js";
import { EXP2_TABLE, LOG2_TABLE } from "./log2.js";
import { WAVPACK_WASM_BASE64 } from "./wavpack-wasm-bytes.js";
import type { WordDecoder } from "./words.js";

/** The exports of wasm/wavpack.c. */
interface WavpackExports {
  memory: WebAssembly.Memory;
  bits_ptr(): number;
  bits_capacity(): number;
  samples_ptr(): number;
  samples_capacity(): number;
  state_ptr(): number;
  passes_ptr(): number;
  tables_ptr(): number;
  pad_bits(length: number): void;
  lossless(count: number, stereo: number, sizeBits: number): number;
  hybrid(count: number, stereo: number, flags: number, sizeBits: number): number;
  decorrelate(terms: number, count: number, mono: number): number;
  check_and_sum(count: number, mono: number, joint: number, muteLimit: number): number;
  last_crc(): number;
}

/** Int32 fields of one pass in wasm/wavpack.c: term, delta, the two weights, the two histories of 8. */
const PASS_INTS = 20;

/**
 * The WebAssembly WavPack kernel (wasm/wavpack.c) of this thread: a block's words (lossless
 * and hybrid) and its decorrelation passes. The TypeScript code (words.ts, decorrelate.ts) is the
 * reference; the kernel gives the same numbers, and where it declines (a bitstream that runs
 * short, a block larger than its memory) the TypeScript code decodes the block.
 */
export class WavpackKernel {
  private readonly exports: WavpackExports;
  private readonly bits: Uint8Array;
  private readonly samples: Int32Array;
  /**
   * median[0..5], holding one, holding zero, zeros accumulated, bit position, then per channel:
   * slow level, error limit, bit-rate accumulator, bit-rate step.
   */
  private readonly state: Uint32Array;
  private readonly passes: Int32Array;

  constructor(module: WebAssembly.Module) {
    this.exports = new WebAssembly.Instance(module).exports as unknown as WavpackExports;
    const { memory } = this.exports;
    this.bits = new Uint8Array(memory.buffer, this.exports.bits_ptr(), this.exports.bits_capacity());
    this.samples = new Int32Array(memory.buffer, this.exports.samples_ptr(), this.exports.samples_capacity());
    this.state = new Uint32Array(memory.buffer, this.exports.state_ptr(), 18);
    this.passes = new Int32Array(memory.buffer, this.exports.passes_ptr(), 16 * PASS_INTS);
    const tables = new Uint8Array(memory.buffer, this.exports.tables_ptr(), 512);
    tables.set(LOG2_TABLE);
    tables.set(EXP2_TABLE, 256);
  }

  /**
   * The words of a whole block (`WordDecoder.lossless`, or `WordDecoder.hybrid` for each value
   * with the block's `flags`): `count` samples or pairs from `wv` into the kernel's memory (where
   * {@link decorrelate} finds them). On success the decoder's state and the reader's position
   * move on as the TypeScript decoder's would.
   * @returns false, with nothing changed, when the kernel declines (then decode in TypeScript)
   */
  words(wv: LsbBitReader, words: WordDecoder, count: number, stereo: boolean, hybridFlags: number | undefined): boolean {
    const bytes = wv.sizeBits >>> 3;
    if (bytes > this.bits.length || (stereo ? 2 * count : count) > this.samples.length) return false;
    this.bits.set(wv.buf.subarray(0, bytes));
    this.exports.pad_bits(bytes);
    const state = this.state;
    state.set(words.median);
    state[6] = words.holdingOne;
    state[7] = words.holdingZero;
    state[8] = words.zerosAcc;
    state[9] = wv.pos;
    const perChannel = [words.slowLevel, words.errorLimit, words.bitrateAcc, words.bitrateDelta];
    for (const [k, values] of perChannel.entries()) state.set(values, 10 + 2 * k);
    const failed =
      hybridFlags === undefined
        ? this.exports.lossless(count, stereo ? 1 : 0, wv.sizeBits)
        : this.exports.hybrid(count, stereo ? 1 : 0, hybridFlags >>> 0, wv.sizeBits);
    if (failed !== 0) return false;
    words.median.set(state.subarray(0, 6));
    words.holdingOne = state[6] as number;
    words.holdingZero = state[7] as number;
    words.zerosAcc = state[8] as number;
    wv.pos = state[9] as number;
    for (const [k, values] of perChannel.entries()) values.set(state.subarray(10 + 2 * k, 12 + 2 * k));
    return true;
  }

  /**
   * The rest of a block after its words: undoes its `terms` passes on `count` samples (mono) or
   * pairs, then joint stereo, and sums and checks the samples (decode-block.ts's checkAndSum),
   * leaving the samples in `out`. The residuals come from `out`, or, with `inKernel`, from those
   * {@link words} left in the kernel.
   * @returns the sample checksum and the index of a sample beyond `muteLimit` (or -1); or
   *   undefined when the block is larger than the kernel's memory (then do it in TypeScript)
   */
  finish(
    passes: readonly DecorrPass[],
    terms: number,
    out: Int32Array,
    count: number,
    mono: boolean,
    inKernel: boolean,
    check: { joint: boolean; muteLimit: number },
  ): { crc: number; beyond: number } | undefined {
    const values = mono ? count : 2 * count;
    if (values > this.samples.length) return undefined; // then `words` declined too: the residuals are in `out`
    if (!inKernel) this.samples.set(out.subarray(0, values));
    for (let t = 0; t < terms; t++) {
      const pass = passes[t] as DecorrPass;
      const at = t * PASS_INTS;
      this.passes[at] = pass.term;
      this.passes[at + 1] = pass.delta;
      this.passes[at + 2] = pass.weightA;
      this.passes[at + 3] = pass.weightB;
      this.passes.set(pass.samplesA, at + 4);
      this.passes.set(pass.samplesB, at + 12);
    }
    // (terms <= 16, as the block's metadata was checked, and the values fit: it cannot decline here)
    this.exports.decorrelate(terms, count, mono ? 1 : 0);
    const beyond = this.exports.check_and_sum(count, mono ? 1 : 0, check.joint ? 1 : 0, check.muteLimit);
    out.set(this.samples.subarray(0, values));
    return { crc: this.exports.last_crc() >>> 0, beyond };
  }
}

let shared: WavpackKernel | null | undefined;

/** This thread's {@link WavpackKernel}, or null where WebAssembly cannot run (then TypeScript decodes). */
export function wavpackKernel(): WavpackKernel | null {
  if (shared === undefined) shared = loadWasmKernel(WAVPACK_WASM_BASE64, (module) => new WavpackKernel(module));
  return shared;
}
