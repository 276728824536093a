/**
 * The WebAssembly SIMD min/max loop (wasm/extremes.c) for int16 rows: eight channels at a time.
 * One instance per page, loaded on first use; null where WebAssembly or its SIMD cannot run, and
 * then the TypeScript loop of ./decimate.ts runs.
 */
import { _internalLoadWasmKernel as loadWasmKernel } from "@flacarray/core";
import { EXTREMES_WASM_BASE64 } from "./extremes-wasm-bytes.js";

/** The exports of wasm/extremes.c. */
interface ExtremesExports {
  memory: WebAssembly.Memory;
  heap_start(): number;
  extremes_i16(
    data: number,
    count: number,
    width: number,
    first: number,
    rows: number,
    columns: number,
    out: number,
    columnOf: number,
  ): number;
}

/** The columns one call touched: column `columnOf[k]` has lows `extremes[2kw, 2kw + w)` and highs `[2kw + w, 2kw + 2w)`. */
export interface TouchedColumns {
  touched: number;
  columnOf: Int32Array;
  extremes: Int16Array;
}

const WASM_PAGE = 65536;
const align16 = (n: number) => (n + 15) & ~15;

/** See the module comment. */
export class WasmExtremesKernel {
  private readonly exports: ExtremesExports;

  constructor(module: WebAssembly.Module) {
    this.exports = new WebAssembly.Instance(module).exports as unknown as ExtremesExports;
  }

  /**
   * The extremes of each column that `count` rows of `width` values (`data`, time-major) touch:
   * rows `[first, first + count)` of a window of `rows` rows over `columns` columns. The result's
   * arrays are views of the kernel's memory, valid until its next call.
   */
  columns(data: Int16Array, first: number, count: number, width: number, rows: number, columns: number): TouchedColumns {
    const { memory, heap_start, extremes_i16 } = this.exports;
    const most = Math.min(count, columns);
    const dataAt = heap_start();
    const outAt = dataAt + align16(2 * count * width);
    const columnAt = outAt + align16(4 * most * width);
    const end = columnAt + 4 * most;
    if (end > memory.buffer.byteLength) memory.grow(Math.ceil((end - memory.buffer.byteLength) / WASM_PAGE));
    new Int16Array(memory.buffer, dataAt, count * width).set(data.subarray(0, count * width));
    const touched = extremes_i16(dataAt, count, width, first, rows, columns, outAt, columnAt);
    return {
      touched,
      columnOf: new Int32Array(memory.buffer, columnAt, touched),
      extremes: new Int16Array(memory.buffer, outAt, 2 * touched * width),
    };
  }
}

let shared: WasmExtremesKernel | null | undefined;

/** This page's kernel, or null where it cannot run. */
export function extremesKernel(): WasmExtremesKernel | null {
  if (shared === undefined) shared = loadWasmKernel(EXTREMES_WASM_BASE64, (module) => new WasmExtremesKernel(module));
  return shared;
}
