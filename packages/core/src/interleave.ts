/**
 * Channel-major streams and time-major rows (samples x channels, SpikeInterface's order), one
 * into the other: decoded streams into rows as recordings are read, and rows into streams as
 * recordings are compressed. Each direction is its own function so that V8 compiles each loop for
 * the one pair of array types it sees.
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
 * tiles (a plain strided loop is several times slower on large windows), eight streams at a time:
 * each row then gets eight neighbouring values at once, from eight sequential reads (385 streams
 * of 30000 samples into int16 rows: 10.5 against 19.5 ms one stream at a time); only samples
 * `[first, last)` of each stream (rows `row + first` on) when given, so that threads can share
 * the work without writing the same memory.
 */
export function interleaveStreams(from: Int32Array, n: number, m: number, target: RowsTarget, first = 0, last = m): void {
  const { out, width, column, row } = target;
  for (let i0 = first; i0 < last; i0 += TILE) {
    const i1 = Math.min(last, i0 + TILE);
    let j = 0;
    for (; j + 8 <= n; j += 8) {
      const a0 = j * m;
      const a1 = a0 + m;
      const a2 = a1 + m;
      const a3 = a2 + m;
      const a4 = a3 + m;
      const a5 = a4 + m;
      const a6 = a5 + m;
      const a7 = a6 + m;
      for (let i = i0, b = (row + i0) * width + column + j; i < i1; i++, b += width) {
        out[b] = from[a0 + i] as number;
        out[b + 1] = from[a1 + i] as number;
        out[b + 2] = from[a2 + i] as number;
        out[b + 3] = from[a3 + i] as number;
        out[b + 4] = from[a4 + i] as number;
        out[b + 5] = from[a5 + i] as number;
        out[b + 6] = from[a6 + i] as number;
        out[b + 7] = from[a7 + i] as number;
      }
    }
    for (; j < n; j++) {
      for (let i = i0, a = j * m + i0, b = (row + i0) * width + column + j; i < i1; i++, a++, b += width) out[b] = from[a] as number;
    }
  }
}

/**
 * `to[j * toStride + i] = rows[i * width + j]` for `i < height` rows of `width` values: rows into
 * streams, row by row. Reading the rows in order lets the processor prefetch them; the writes, one
 * per stream, hit the same few hundred cache lines for 16 rows in a row. (Tiles as in
 * {@link interleaveStreams}, which read the rows strided, took 1.7x as long: 2.9 against 1.7 ns a
 * sample for 385 channels.)
 */
export function deinterleaveRows(rows: Int16Array | Int32Array, height: number, width: number, to: Int32Array, toStride: number): void {
  for (let i = 0; i < height; i++) {
    for (let j = 0, a = i * width, b = i; j < width; j++, a++, b += toStride) to[b] = rows[a] as number;
  }
}
