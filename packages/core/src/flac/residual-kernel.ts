/**
 * The WebAssembly SIMD residual of the encoder's LPC predictors (wasm/residual.c): four samples
 * at a time, for predictors of up to 12 taps whose sums fit in 32 bits; the measure by which
 * it picks a fixed predictor; the autocorrelation of a windowed block, two lags at a time; and the
 * Rice codes of the chosen residual. One instance per thread,
 * loaded on first use; null where WebAssembly or its SIMD cannot run, and then ./lpc.ts's
 * TypeScript loops run.
 */
import { loadWasmKernel } from "../wasm-kernel-module.js";
import type { BitWriter } from "./bit-writer.js";
import { MAX_BLOCK } from "./limits.js";
import { RESIDUAL_WASM_BASE64 } from "./residual-wasm-bytes.js";
import type { RiceCoding } from "./rice-encode.js";

/** Bytes of Rice codes the kernel writes in one call (CODED_BYTES in wasm/residual.c). */
const CODED_BYTES = 1 << 20;

/** The exports of wasm/residual.c. */
interface ResidualExports {
  memory: WebAssembly.Memory;
  samples_ptr(): number;
  residual_ptr(): number;
  sums_ptr(): number;
  coefficients_ptr(): number;
  residual8(n: number, order: number, shift: number, partitionSize: number): number;
  residual12(n: number, order: number, shift: number, partitionSize: number): number;
  fixed_errors(n: number): void;
  window_ptr(): number;
  lags_ptr(): number;
  autocorrelation12(start: number, end: number): void;
  coded_ptr(): number;
  params_ptr(): number;
  tail_ptr(): number;
  rice_write(n: number, order: number, partitionOrder: number, rice2: number, acc: number, nacc: number): number;
}

/** See the module comment. */
export class WasmResidualKernel {
  private readonly run8: ResidualExports["residual8"];
  private readonly run12: ResidualExports["residual12"];
  private readonly runFixed: ResidualExports["fixed_errors"];
  private readonly runAutocorrelation: ResidualExports["autocorrelation12"];
  private readonly windowValues: Float64Array;
  private readonly lags: Float64Array;
  private readonly samples: Int32Array;
  private readonly residual: Int32Array;
  private readonly sums: Float64Array;
  private readonly coefficients: Int32Array;
  private readonly runRice: ResidualExports["rice_write"];
  private readonly coded: Uint8Array;
  private readonly params: Int32Array;
  private readonly tail: Uint32Array;

  constructor(module: WebAssembly.Module) {
    const exports = new WebAssembly.Instance(module).exports as unknown as ResidualExports;
    const buffer = exports.memory.buffer;
    this.run8 = exports.residual8;
    this.run12 = exports.residual12;
    this.runFixed = exports.fixed_errors;
    this.runAutocorrelation = exports.autocorrelation12;
    this.windowValues = new Float64Array(buffer, exports.window_ptr(), MAX_BLOCK);
    this.lags = new Float64Array(buffer, exports.lags_ptr(), 13);
    this.samples = new Int32Array(buffer, exports.samples_ptr(), MAX_BLOCK);
    this.residual = new Int32Array(buffer, exports.residual_ptr(), MAX_BLOCK);
    this.sums = new Float64Array(buffer, exports.sums_ptr(), MAX_BLOCK);
    this.coefficients = new Int32Array(buffer, exports.coefficients_ptr(), 12);
    this.runRice = exports.rice_write;
    this.coded = new Uint8Array(buffer, exports.coded_ptr(), CODED_BYTES);
    this.params = new Int32Array(buffer, exports.params_ptr(), 1 << 15);
    this.tail = new Uint32Array(buffer, exports.tail_ptr(), 2);
  }

  /**
   * As ./rice-encode.ts's writeResidual: the same bits into `w`, from the bits it has pending.
   * @returns false, with `w` untouched, when the codes would take more than 1 MiB (then write them
   *   in TypeScript)
   */
  writeResidual(w: BitWriter, res: Int32Array, n: number, order: number, coding: RiceCoding): boolean {
    this.residual.set(res.subarray(order, n), order);
    this.params.set(coding.params.subarray(0, 1 << coding.partitionOrder));
    const bytes = this.runRice(n, order, coding.partitionOrder, coding.rice2 ? 1 : 0, w.acc, w.nacc);
    if (bytes < 0) return false;
    w.ensure(bytes);
    w.buf.set(this.coded.subarray(0, bytes), w.pos);
    w.pos += bytes;
    w.acc = this.tail[0] as number;
    w.nacc = this.tail[1] as number;
    return true;
  }

  /**
   * As ./lpc.ts's residual8 and residual12 over a whole block: `res[order, n)` and the sum of
   * |residual| of each partition of `partitionSize` samples into `sums`, in wrapping 32-bit
   * arithmetic. `order` is at most 12.
   */
  compute(
    x: Int32Array,
    n: number,
    q: Int32Array,
    order: number,
    shift: number,
    res: Int32Array,
    sums: Float64Array,
    partitionSize: number,
  ): void {
    this.samples.set(x.subarray(0, n));
    this.coefficients.set(q.subarray(0, order));
    const partitions = (order <= 8 ? this.run8 : this.run12)(n, order, shift, partitionSize);
    res.set(this.residual.subarray(order, n), order);
    sums.set(this.sums.subarray(0, partitions));
  }

  /**
   * As ./lpc.ts's windowedAutocorrelation for up to 12 lags: the same sums, added in the same
   * order, into `out[0..maxLag]`.
   */
  autocorrelation(x: Int32Array, win: Float64Array, start: number, end: number, maxLag: number, out: Float64Array): void {
    this.samples.set(x.subarray(start, end), start);
    this.windowValues.set(win.subarray(start, end), start);
    this.runAutocorrelation(start, end);
    out.set(this.lags.subarray(0, maxLag + 1));
  }

  /**
   * As ./subframe-encode.ts's fixedErrors: the sums of |x[i]| and of |its 1st to 4th
   * differences| over `[4, n)`, for samples of at most 27 bits. The array is the kernel's: read
   * it before the next call.
   */
  fixedErrors(x: Int32Array, n: number): Float64Array {
    this.samples.set(x.subarray(0, n));
    this.runFixed(n);
    return this.sums.subarray(0, 5);
  }
}

let shared: WasmResidualKernel | null | undefined;

/** This thread's {@link WasmResidualKernel}, or null where it cannot run. */
export function wasmResidualKernel(): WasmResidualKernel | null {
  if (shared === undefined) shared = loadWasmKernel(RESIDUAL_WASM_BASE64, (module) => new WasmResidualKernel(module));
  return shared;
}
