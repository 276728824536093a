// Channel-major streams laid out as time-major rows: on this thread, and on workers that each
// take a band of rows of shared memory; both give every value at its place and touch nothing else.
import {
  closeWorkers,
  _internalInterleaveOnWorkers as interleaveOnWorkers,
  _internalInterleaveStreams as interleaveStreams,
} from "@flacarray/core";
import { afterAll, describe, test } from "vitest";
import { expectSameArray } from "../helpers/arrays.js";

afterAll(() => closeWorkers());

/** `n` streams of `m` values, each value naming its stream and sample. */
function streams(n: number, m: number, shared: boolean): Int32Array {
  const from = shared ? new Int32Array(new SharedArrayBuffer(4 * n * m)) : new Int32Array(n * m);
  for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) from[j * m + i] = j * 100_000 + i;
  return from;
}

/** What rows of `width` values, with the streams at `column` from `row`, hold (-1 elsewhere). */
function expected(n: number, m: number, width: number, height: number, column: number, row: number): Int32Array {
  const out = new Int32Array(width * height).fill(-1);
  for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) out[(row + i) * width + column + j] = j * 100_000 + i;
  return out;
}

describe("interleaving streams into rows", () => {
  test.each([
    [3, 1000, 0],
    [40, 30_001, 2],
    [7, 257, 5],
    [1, 3, 0],
  ])("%i streams of %i samples at column %i: on this thread, for sample bands, and on 1, 2 and 3 workers", async (n, m, column) => {
    const [width, height, row] = [n + column + 1, m + 3, 2];
    const want = expected(n, m, width, height, column, row);
    const here = new Int32Array(width * height).fill(-1);
    interleaveStreams(streams(n, m, false), n, m, { out: here, width, column, row });
    expectSameArray(here, want, "this thread");
    // in two bands of samples, as two workers take them
    const banded = new Int32Array(width * height).fill(-1);
    const half = Math.floor(m / 2);
    interleaveStreams(streams(n, m, false), n, m, { out: banded, width, column, row }, 0, half);
    interleaveStreams(streams(n, m, false), n, m, { out: banded, width, column, row }, half, m);
    expectSameArray(banded, want, "two bands");
    for (const workers of [1, 2, 3]) {
      const out = new Int32Array(new SharedArrayBuffer(4 * width * height)).fill(-1);
      await interleaveOnWorkers(streams(n, m, true), n, m, { out, width, column, row }, workers);
      expectSameArray(out, want, `${workers} workers`);
    }
    // int16 rows, and memory that is not shared (done on this thread)
    const rows16 = new Int16Array(new SharedArrayBuffer(2 * width * height)).fill(-1);
    const small = streams(n, m, true);
    for (let k = 0; k < small.length; k++) small[k] = (small[k] as number) % 30_000;
    await interleaveOnWorkers(small, n, m, { out: rows16, width, column, row }, 2);
    expectSameArray(
      rows16,
      Int16Array.from(want, (v) => (v < 0 ? -1 : v % 30_000)),
      "int16",
    );
    const unshared = new Int32Array(width * height).fill(-1);
    await interleaveOnWorkers(streams(n, m, false), n, m, { out: unshared, width, column, row }, 2);
    expectSameArray(unshared, want, "not shared");
  });
});
