/**
 * Channel-major decoded streams into time-major rows, as recordings are read (samples x
 * channels, SpikeInterface's order).
 */

/** Where decoded streams go as columns of time-major rows. */
export interface RowsTarget {
  /** The rows, `width` values each (int16 or int32: the recording's dtype). */
  out: Int16Array | Int32Array;
  width: number;
  /** The column of the first stream. */
  column: number;
  /** The row of the first sample. */
  row: number;
}

/** Rows per tile: a tile's lines stay in cache while the other side is strided. */
const TILE = 256;

/**
 * `out[(row + i) * width + column + j] = from[j * m + i]` for `j < n` streams of `m` samples, in
 * tiles (a plain strided loop is several times slower on large windows).
 */
export function interleaveStreams(from: Int32Array, n: number, m: number, target: RowsTarget): void {
  const { out, width, column, row } = target;
  for (let i0 = 0; i0 < m; i0 += TILE) {
    const i1 = Math.min(m, i0 + TILE);
    for (let j = 0; j < n; j++) {
      for (let i = i0, a = j * m + i0, b = (row + i0) * width + column + j; i < i1; i++, a++, b += width) out[b] = from[a] as number;
    }
  }
}
