/**
 * Min/max decimation: each pixel column keeps the smallest and largest sample of the samples
 * it covers, so that a one-sample spike stays visible at every zoom. Windows are added piece
 * by piece, so a long window never needs all its samples in memory at once.
 */
import { extremesKernel, type WasmExtremesKernel } from "./extremes-kernel.js";

/** Which loop adds rows: see {@link ColumnExtremes.kernel}. */
export type ExtremesKernelName = "wasm" | "typescript";

/** The min and max of each channel in each column of a window. */
export class ColumnExtremes {
  /** `min[channel * columns + column]`. */
  readonly min: Float32Array;
  /** `max[channel * columns + column]`. */
  readonly max: Float32Array;

  /**
   * @param channels - channels of the window
   * @param columns - pixel columns
   * @param rows - samples of the window
   */
  /** What adds int16 rows: the WebAssembly SIMD loop where it runs, else TypeScript (other dtypes always take TypeScript). */
  readonly kernel: ExtremesKernelName;
  private readonly wasm: WasmExtremesKernel | null;

  constructor(
    readonly channels: number,
    readonly columns: number,
    readonly rows: number,
    options: { kernel?: ExtremesKernelName } = {},
  ) {
    this.wasm = options.kernel === "typescript" ? null : extremesKernel();
    this.kernel = this.wasm ? "wasm" : "typescript";
    this.min = new Float32Array(channels * columns);
    this.max = new Float32Array(channels * columns);
    this.clear();
  }

  /** Forgets every sample added, for reuse by a window of the same size. */
  clear(): void {
    this.min.fill(Number.POSITIVE_INFINITY);
    this.max.fill(Number.NEGATIVE_INFINITY);
  }

  /**
   * Adds `count` time-major rows that start at row `first` of the window. A row holds the values
   * of `blockChannels` channels from channel `channelFrom` on (all channels by default), so that
   * blocks of channels read apart are added as each arrives.
   */
  add(data: ArrayLike<number>, first: number, count: number, channelFrom = 0, blockChannels = this.channels - channelFrom): void {
    const { columns, rows, min, max } = this;
    if (this.wasm && data instanceof Int16Array) {
      const { touched, columnOf, extremes } = this.wasm.columns(data, first, count, blockChannels, rows, columns);
      for (let k = 0, at = 0; k < touched; k++, at += 2 * blockChannels) {
        for (let ch = 0, i = channelFrom * columns + (columnOf[k] as number); ch < blockChannels; ch++, i += columns) {
          const lo = extremes[at + ch] as number;
          const hi = extremes[at + blockChannels + ch] as number;
          if (lo < (min[i] as number)) min[i] = lo;
          if (hi > (max[i] as number)) max[i] = hi;
        }
      }
      return;
    }
    // Column by column; within a column, channel by channel down its rows (a block of rows that
    // stays in cache), with the extremes in locals. Starting them at the ends of the data's
    // range keeps the comparisons on integers for integer data.
    const [floor, ceiling] = valueRange(data);
    for (let r = 0; r < count; ) {
      const column = Math.min(columns - 1, Math.floor(((first + r) * columns) / rows));
      // the column's rows in this piece: up to the first row of the next column
      const end = column === columns - 1 ? count : Math.max(r + 1, Math.min(count, Math.ceil(((column + 1) * rows) / columns) - first));
      for (let ch = 0, i = channelFrom * columns + column; ch < blockChannels; ch++, i += columns) {
        let lo = ceiling;
        let hi = floor;
        for (let at = r * blockChannels + ch, stop = end * blockChannels; at < stop; at += blockChannels) {
          const v = data[at] as number;
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
        if (lo < (min[i] as number)) min[i] = lo;
        if (hi > (max[i] as number)) max[i] = hi;
      }
      r = end;
    }
  }

  /** Fills columns no sample fell in (more columns than samples) from the column before. */
  fillGaps(): void {
    const { channels, columns, min, max } = this;
    for (let ch = 0; ch < channels; ch++)
      for (let c = 1; c < columns; c++) {
        const i = ch * columns + c;
        if (min[i] === Number.POSITIVE_INFINITY) {
          min[i] = min[i - 1] as number;
          max[i] = max[i - 1] as number;
        }
      }
  }
}

/** The smallest and largest value an array of this type can hold. */
function valueRange(data: ArrayLike<number>): [number, number] {
  if (data instanceof Int16Array) return [-32768, 32767];
  if (data instanceof Int32Array) return [-2147483648, 2147483647];
  return [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
}

/**
 * The median (the upper one of an even count) of some values, which it reorders: Hoare's
 * selection, linear on average, where a sort of each channel's values cost more than the rest
 * of a frame.
 */
function median(values: Float64Array): number {
  const n = values.length;
  if (n === 0) return 0;
  const k = n >> 1;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >> 1] as number;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((values[i] as number) < pivot) i++;
      while ((values[j] as number) > pivot) j--;
      if (i <= j) {
        const t = values[i] as number;
        values[i++] = values[j] as number;
        values[j--] = t;
      }
    }
    // values[lo..j] <= pivot <= values[i..hi]; between them, values equal to the pivot
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return values[k] as number;
}

/** Rows sampled per channel for its levels: enough for a median, cheap for 385 channels. */
const LEVEL_ROWS = 512;

/**
 * Each channel's centre (median) and a robust size of its signal (median absolute deviation),
 * from at most 512 rows, evenly spread, of a time-major piece.
 */
export function channelLevels(data: ArrayLike<number>, rows: number, channels: number): { centre: Float64Array; spread: Float64Array } {
  const centre = new Float64Array(channels);
  const spread = new Float64Array(channels);
  const step = Math.max(1, Math.floor(rows / LEVEL_ROWS));
  const count = Math.ceil(rows / step);
  const values = new Float64Array(count);
  for (let ch = 0; ch < channels; ch++) {
    for (let r = 0, i = 0; r < rows; r += step, i++) values[i] = data[r * channels + ch] as number;
    const m = median(values);
    for (let i = 0; i < count; i++) values[i] = Math.abs((values[i] as number) - m);
    centre[ch] = m;
    spread[ch] = median(values);
  }
  return { centre, spread };
}
