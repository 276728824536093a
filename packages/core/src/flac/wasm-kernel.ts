import { loadWasmKernel } from "../wasm-kernel-module.js";
import { MAX_BLOCK } from "./limits.js";
import { SUBFRAME_WASM_BASE64 } from "./subframe-wasm-bytes.js";

/** The exports of wasm/subframe.c. */
interface SubframeExports {
  memory: WebAssembly.Memory;
  init(): void;
  crc16(start: number, end: number): number;
  input_ptr(): number;
  channel_ptr(channel: number): number;
  input_capacity(): number;
  prepare_input(bytes: number): void;
  decode_subframe(bit: number, endByte: number, channel: number, n: number, bps: number): number;
}

/**
 * The WebAssembly subframe decoder (wasm/subframe.c) of this thread: it decodes a subframe's
 * Rice residual and prediction from a window of the stream copied into its memory. One instance
 * per thread, shared by every {@link FlacDecoder} on it; a decoder loads its window at the start
 * of each call, so the window never outlives the bytes it was copied from.
 */
export class WasmSubframeKernel {
  private readonly exports: SubframeExports;
  private readonly input: Uint8Array;
  /** Decoded channel 0 and 1 of the last frame. */
  readonly channels: [Int32Array, Int32Array];
  /** Bytes the window can hold. */
  readonly capacity: number;
  /** The stream the window was copied from, and where in it the window starts and ends. */
  private source: Uint8Array | null = null;
  windowStart = 0;
  windowEnd = 0;

  constructor(module: WebAssembly.Module) {
    this.exports = new WebAssembly.Instance(module).exports as unknown as SubframeExports;
    this.exports.init();
    const buffer = this.exports.memory.buffer;
    this.capacity = this.exports.input_capacity();
    this.input = new Uint8Array(buffer, this.exports.input_ptr(), this.capacity);
    const channel = (c: number) => new Int32Array(buffer, this.exports.channel_ptr(c), MAX_BLOCK);
    this.channels = [channel(0), channel(1)];
  }

  /** Bytes the next copy takes: it starts small and doubles, so that a short read copies little. */
  private span = FIRST_SPAN;

  /** Forgets the window: the next {@link cover} copies, even from the same array (its bytes may have changed). */
  reset(): void {
    this.source = null;
    this.span = FIRST_SPAN;
  }

  /**
   * Makes sure the window holds `bytes[from, from + room)`, or everything from `from` to the
   * end when that is less, copying from `from` on when it does not (64 KiB the first time in a
   * call, twice as much each time after, up to the capacity).
   */
  cover(bytes: Uint8Array, from: number, room: number): void {
    const end = bytes.length;
    if (this.source === bytes && from >= this.windowStart && (from + room <= this.windowEnd || this.windowEnd === end)) return;
    const stop = Math.min(end, from + Math.min(this.capacity, Math.max(room, this.span)));
    this.span = Math.min(this.capacity, 2 * this.span);
    this.input.set(bytes.subarray(from, stop));
    this.exports.prepare_input(stop - from);
    this.source = bytes;
    this.windowStart = from;
    this.windowEnd = stop;
  }

  /**
   * Decodes the `n`-sample subframe of `bps` bits per sample that starts `bit` bits into the
   * window into {@link channels}`[channel]`.
   * @returns the stream's bit position after it, relative to the window's start, or -1 when the
   *   subframe is invalid or runs past the window (then decode it in TypeScript, which says why)
   */
  decode(bit: number, channel: number, n: number, bps: number): number {
    return this.exports.decode_subframe(bit, this.windowEnd - this.windowStart, channel, n, bps);
  }

  /** CRC-16 of the stream's bytes `[start, end)`, which the window must hold. */
  crc16(start: number, end: number): number {
    return this.exports.crc16(start - this.windowStart, end - this.windowStart);
  }
}

/** The first copy of a decoding call: a 1 s window of a channel is about this size. */
const FIRST_SPAN = 64 * 1024;

let shared: WasmSubframeKernel | null | undefined;

/**
 * This thread's {@link WasmSubframeKernel}, or null where WebAssembly cannot run (a page whose
 * Content-Security-Policy forbids it, say); decoders then use the TypeScript kernel.
 */
export function wasmSubframeKernel(): WasmSubframeKernel | null {
  if (shared === undefined) shared = loadWasmKernel(SUBFRAME_WASM_BASE64, (module) => new WasmSubframeKernel(module));
  return shared;
}
