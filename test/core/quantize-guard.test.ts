/**
 * Floats that cannot be quantized at their quanta are refused before anything is compressed,
 * and verification compares the floats a reader gets back (issue 11, item 1).
 */
import { FlacArray, InvalidArgumentError, QuantizationError } from "@flacarray/core";
import { describe, expect, test } from "vitest";
import { checkReadBack, float64ToInt } from "../../packages/core/src/quantize.js";
import { caught } from "../helpers/errors.js";

/** Two streams of 100 samples: a plain sine, and one with `bad` at sample 42. */
function twoStreams<T extends Float32Array | Float64Array>(T: { new (n: number): T }, bad: number): T {
  const x = new T(200);
  for (let i = 0; i < 200; i++) x[i] = Math.sin(i / 7) * 3;
  x[142] = bad;
  return x;
}

describe("values that do not fit the integer type at their quanta are a QuantizationError naming stream and value", () => {
  test.each([
    ["float64", Float64Array, Number.POSITIVE_INFINITY, 0.01, /Cannot convert Infinity.*stream 1, sample 42/],
    ["float64", Float64Array, Number.NEGATIVE_INFINITY, 0.01, /Cannot convert -Infinity.*stream 1, sample 42/],
    ["float32", Float32Array, Number.POSITIVE_INFINITY, 0.01, /Cannot convert Infinity.*stream 1, sample 42/],
    [
      "float64",
      Float64Array,
      1e20,
      0.01,
      /stream 1: value 100000000000000000000 is .* quanta of 0\.01 .* more than int64 holds .* use quanta >= /,
    ],
    ["float32", Float32Array, 1e38, 1e-3, /stream 1: value 9\.99.*e\+37 is .* more than int32 holds .* use quanta >= /],
    ["float32", Float32Array, 5e9, 1, /value 5000000000 is 2500000000 quanta of 1 .* more than int32 holds .* must lie in \[/],
  ] as const)("%s value %s at quanta %s", (_dtype, T, bad, quanta, message) => {
    const err = caught(() => FlacArray.fromArray({ data: twoStreams(T as never, bad), shape: [2, 100] }, { quanta }));
    expect(err).toBeInstanceOf(QuantizationError);
    expect((err as Error).message).toMatch(message);
  });

  test.each([
    ["float64", Float64Array, 1e-300],
    ["float64", Float64Array, 5e-324],
    ["float32", Float32Array, 1e-30],
  ] as const)("%s with a tiny quanta %s", (_dtype, T, quanta) => {
    const err = caught(() => FlacArray.fromArray({ data: twoStreams(T as never, 1), shape: [2, 100] }, { quanta }));
    expect(err).toBeInstanceOf(QuantizationError);
    expect((err as Error).message).toMatch(/stream 0: value .* more than int(32|64) holds/);
  });

  test("the largest values that fit still round-trip within half a quanta", () => {
    const x = new Float64Array([-2e6, 0, 1e6, 2e6]);
    const fa = FlacArray.fromArray(x, { quanta: 1e-3 });
    const back = fa.toArray().data as Float64Array;
    for (let i = 0; i < x.length; i++) expect(Math.abs(back[i] - x[i])).toBeLessThanOrEqual(5e-4);
    const y = Float32Array.from([-1e6, 1e6]);
    const fb = FlacArray.fromArray(y, { quanta: 1e-3 }); // 1e9 quanta from the middle: fits int32
    const backY = fb.toArray().data as Float32Array;
    for (let i = 0; i < y.length; i++) expect(Math.abs(backY[i] - y[i])).toBeLessThanOrEqual(0.5);
  });

  test("quanta 0 and precision still work as in Python", () => {
    const x = Float64Array.from({ length: 50 }, (_, i) => i * 1.25);
    expect(FlacArray.fromArray(x, { quanta: 0 }).toArray().data).toStrictEqual(Float64Array.from(x, (v) => Math.trunc(v + 0.5)));
    expect(() => FlacArray.fromArray(x, { precision: 3 })).not.toThrow();
  });
});

test("verification compares the floats a reader gets back, not only the integers", () => {
  const x = Float64Array.from({ length: 10 }, (_, i) => i / 10);
  const ints = new Int32Array(20);
  const offsets = new Float64Array(1);
  const gains = new Float64Array(1);
  float64ToInt(x, 10, Float64Array.of(0.01), ints, offsets, gains);
  expect(() => checkReadBack(x, 10, ints, offsets, gains)).not.toThrow();
  ints[2 * 7] += 1; // one quanta off: more than half a quanta from the input
  expect(() => checkReadBack(x, 10, ints, offsets, gains)).toThrow(/stream 0, sample 7 was 0\.7 and reads back as 0\.71/);
});

test("a negative or fractional shape is an InvalidArgumentError", () => {
  expect(() => FlacArray.fromArray({ data: new Int32Array(2), shape: [-1, -2] })).toThrow(InvalidArgumentError);
  expect(() => FlacArray.fromArray({ data: new Int32Array(2), shape: [0.5, 4] })).toThrow(InvalidArgumentError);
});
