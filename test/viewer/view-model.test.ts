/**
 * The viewer's pure parts: the URL state round-trips and refuses nonsense; min/max decimation
 * keeps a one-sample spike at every zoom, however the window is split into pieces.
 */
import { describe, expect, test } from "vitest";
import { ColumnExtremes, channelLevels } from "../../packages/viewer/src/decimate.js";
import { formatViewState, MAX_DURATION, MIN_DURATION, parseViewState } from "../../packages/viewer/src/url-state.js";

describe("URL state", () => {
  test("a view round-trips through its URL", () => {
    const state = {
      src: "https://example.org/a b.zarr",
      group: "/ap",
      start: 12.345678,
      duration: 0.25,
      channels: [10, 74] as [number, number],
      mode: "heatmap" as const,
      gain: 2,
    };
    expect(parseViewState(formatViewState(state))).toStrictEqual(state);
  });

  test("defaults, and bad values fall back or are clamped", () => {
    expect(parseViewState("")).toStrictEqual({
      src: undefined,
      group: undefined,
      start: 0,
      duration: 1,
      channels: undefined,
      mode: "traces",
      gain: 1,
    });
    const odd = parseViewState("?start=-5&duration=1e9&channels=9:3&mode=3d&gain=abc");
    expect([odd.start, odd.duration, odd.channels, odd.mode, odd.gain]).toStrictEqual([0, MAX_DURATION, undefined, "traces", 1]);
    expect(parseViewState("?duration=0.000001").duration).toBe(MIN_DURATION);
    expect(parseViewState("?start=NaN&channels=a:b").start).toBe(0);
  });
});

describe.each(["wasm", "typescript"] as const)("min/max decimation (%s kernel)", (kernel) => {
  const rows = 30000;
  const channels = 3;
  const data = new Int16Array(rows * channels);
  for (let r = 0; r < rows; r++) {
    data[r * channels] = 100; // flat
    data[r * channels + 1] = r % 7; // small sawtooth
    data[r * channels + 2] = r === 12345 ? -5000 : 0; // one-sample spike
  }

  test.each([37, 640, 1200, 30000, 50000])("%i columns: the spike is in its column, the flat channel flat", (columns) => {
    const extremes = new ColumnExtremes(channels, columns, rows, { kernel });
    extremes.add(data, 0, rows);
    extremes.fillGaps();
    const spikeColumn = Math.min(columns - 1, Math.floor((12345 * columns) / rows));
    expect(extremes.min[2 * columns + spikeColumn]).toBe(-5000);
    const withSpike = Array.from(extremes.min.subarray(2 * columns, 3 * columns)).filter((v) => v === -5000).length;
    expect(withSpike).toBeGreaterThanOrEqual(1);
    expect(withSpike).toBeLessThanOrEqual(Math.ceil(columns / rows));
    expect(new Set(extremes.min.subarray(0, columns))).toStrictEqual(new Set([100]));
    expect(new Set(extremes.max.subarray(0, columns))).toStrictEqual(new Set([100]));
    expect(Math.max(...extremes.max.subarray(columns, 2 * columns))).toBe(6);
  });

  test("adding a window in pieces gives what adding it at once gives", () => {
    const whole = new ColumnExtremes(channels, 777, rows, { kernel });
    whole.add(data, 0, rows);
    const pieces = new ColumnExtremes(channels, 777, rows, { kernel });
    for (let at = 0; at < rows; at += 4096) {
      const count = Math.min(4096, rows - at);
      pieces.add(data.subarray(at * channels, (at + count) * channels), at, count);
    }
    expect(pieces.min).toStrictEqual(whole.min);
    expect(pieces.max).toStrictEqual(whole.max);
  });

  test("adding a window in blocks of channels gives what adding it at once gives", () => {
    const whole = new ColumnExtremes(channels, 777, rows, { kernel });
    whole.add(data, 0, rows);
    const blocks = new ColumnExtremes(channels, 777, rows, { kernel });
    for (const [from, to] of [
      [0, 1],
      [1, 3],
    ] as const) {
      const block = new Int16Array(rows * (to - from));
      for (let r = 0; r < rows; r++) for (let c = from; c < to; c++) block[r * (to - from) + c - from] = data[r * channels + c] as number;
      blocks.add(block, 0, rows, from, to - from);
    }
    expect(blocks.min).toStrictEqual(whole.min);
    expect(blocks.max).toStrictEqual(whole.max);
  });

  test("float data and the extremes of a dtype's range", () => {
    const values = Float32Array.from([0.5, -1e30, 3e30, 2]);
    const extremes = new ColumnExtremes(1, 2, 4, { kernel });
    extremes.add(values, 0, 4);
    expect(Array.from(extremes.min)).toStrictEqual([Math.fround(-1e30), 2]);
    expect(Array.from(extremes.max)).toStrictEqual([0.5, Math.fround(3e30)]);
    const ints = new ColumnExtremes(1, 1, 2, { kernel });
    ints.add(Int32Array.from([-2147483648, 2147483647]), 0, 2);
    expect([ints.min[0], ints.max[0]]).toStrictEqual([-2147483648, Math.fround(2147483647)]); // kept as float32
  });

  test("the kernel asked for runs (WebAssembly SIMD runs in Node 20)", () => {
    expect(new ColumnExtremes(1, 1, 1, { kernel }).kernel).toBe(kernel);
  });

  test("channel levels: median centre and median absolute deviation", () => {
    const { centre, spread } = channelLevels(data, rows, channels);
    expect(Array.from(centre)).toStrictEqual([100, 3, 0]);
    expect(Array.from(spread)).toStrictEqual([0, 2, 0]);
  });
});

describe("the WebAssembly SIMD and TypeScript decimation agree", () => {
  /** A random walk with rare spikes to the ends of the int16 range, `rows` x `width`. */
  function walk(rows: number, width: number, seed: number): Int16Array {
    let state = seed;
    const random = () => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state / 2 ** 32;
    };
    const data = new Int16Array(rows * width);
    let x = 0;
    for (let i = 0; i < data.length; i++) {
      x = Math.max(-32768, Math.min(32767, Math.round(0.97 * x + (random() - 0.5) * 400)));
      data[i] = random() < 1e-4 ? (random() < 0.5 ? -32768 : 32767) : x;
    }
    return data;
  }

  test.each([
    // rows, width (not a multiple of 8, and under 8), columns, piece rows, block
    [30000, 64, 1324, 30000, [0, 64]],
    [30000, 385, 1324, 7001, [0, 385]],
    [1000, 13, 1324, 333, [0, 13]], // more columns than rows: columns skipped
    [4096, 5, 4096, 100, [2, 7]],
    [9973, 21, 1, 4096, [0, 21]], // one column
  ] as const)("%i rows x %i channels over %i columns, pieces of %i rows", (rows, width, columns, piece, block) => {
    const data = walk(rows, width, rows + width);
    const [from, to] = block as readonly [number, number];
    const channels = Math.max(to, width);
    const both = (["wasm", "typescript"] as const).map((kernel) => {
      const extremes = new ColumnExtremes(channels, columns, rows, { kernel });
      for (let at = 0; at < rows; at += piece) {
        const count = Math.min(piece, rows - at);
        extremes.add(data.subarray(at * width, (at + count) * width), at, count, from, to - from);
      }
      extremes.fillGaps();
      return extremes;
    });
    const [wasm, ts] = both as [ColumnExtremes, ColumnExtremes];
    expect(wasm.kernel).toBe("wasm");
    // the first index where they differ, -1 for none (a deep equality of 500k values is slow)
    const differs = (a: Float32Array, b: Float32Array) => a.findIndex((v, i) => !Object.is(v, b[i]));
    expect(differs(wasm.min, ts.min)).toBe(-1);
    expect(differs(wasm.max, ts.max)).toBe(-1);
    expect(ts.min.some((v) => v === -32768) || rows < 5000).toBe(true);
    // and the TypeScript loop is right: the extremes of channel from's column 0
    const rowsOf0 = Array.from({ length: rows }, (_, r) => r).filter((r) => Math.floor((r * columns) / rows) === 0);
    const column0 = rowsOf0.map((r) => data[r * width] as number);
    expect(ts.min[from * columns]).toBe(Math.min(...column0));
    expect(ts.max[from * columns]).toBe(Math.max(...column0));
  });
});
