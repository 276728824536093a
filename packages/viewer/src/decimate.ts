/**
 * Min/max decimation: each pixel column keeps the smallest and largest sample of the samples
 * it covers, so that a one-sample spike stays visible at every zoom. Windows are added piece
 * by piece, so a long window never needs all its samples in memory at once.
 */

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
  constructor(
    readonly channels: number,
    readonly columns: number,
    readonly rows: number,
  ) {
    this.min = new Float32Array(channels * columns).fill(Number.POSITIVE_INFINITY);
    this.max = new Float32Array(channels * columns).fill(Number.NEGATIVE_INFINITY);
  }

  /** Adds `count` time-major rows (`channels` values each) that start at row `first` of the window. */
  add(data: ArrayLike<number>, first: number, count: number): void {
    const { channels, columns, rows, min, max } = this;
    // The rows of one pixel column are reduced into a contiguous scratch row, which is written
    // back when the column changes: the rows are read in order, and `min`/`max` (one line per
    // channel) are touched once per column instead of once per sample.
    const lo = new Float32Array(channels);
    const hi = new Float32Array(channels);
    let column = -1;
    const flush = () => {
      for (let ch = 0, i = column; ch < channels; ch++, i += columns) {
        min[i] = lo[ch] as number;
        max[i] = hi[ch] as number;
      }
    };
    for (let r = 0; r < count; r++) {
      const c = Math.min(columns - 1, Math.floor(((first + r) * columns) / rows));
      if (c !== column) {
        if (column >= 0) flush();
        column = c;
        for (let ch = 0, i = column; ch < channels; ch++, i += columns) {
          lo[ch] = min[i] as number;
          hi[ch] = max[i] as number;
        }
      }
      for (let ch = 0, at = r * channels; ch < channels; ch++, at++) {
        const v = data[at] as number;
        if (v < (lo[ch] as number)) lo[ch] = v;
        if (v > (hi[ch] as number)) hi[ch] = v;
      }
    }
    if (column >= 0) flush();
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

/** Median of some values (sorted in place). */
function median(values: Float64Array): number {
  values.sort();
  return values.length ? (values[values.length >> 1] as number) : 0;
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
