import { expect } from "vitest";
import { mulberry32 } from "../../bench/neuropixels-like.js";

type Numeric = ArrayLike<number | bigint> & ArrayBufferView;

/**
 * Asserts two typed arrays are the same type and hold the same bits (fast for millions of
 * values, where deep equality is slow); on a mismatch it names the first differing index.
 */
export function expectSameArray(actual: Numeric, expected: Numeric, what = "array"): void {
  expect(actual.constructor.name, `${what}: type`).toBe(expected.constructor.name);
  expect(actual.length, `${what}: length`).toBe(expected.length);
  const a = new Uint8Array(actual.buffer, actual.byteOffset, actual.byteLength);
  const b = new Uint8Array(expected.buffer, expected.byteOffset, expected.byteLength);
  if (Buffer.compare(a, b) === 0) return;
  let i = 0;
  while (i < actual.length && Object.is(actual[i], expected[i])) i++;
  expect(actual[i], `${what}: first difference at index ${i}`).toBe(expected[i]);
}

/** Random walks of every dtype and several ranks, from a seed: int32 (3, 5000), int64 (2, 2, 3000), float32 (4000), float64 (2, 2500). */
export function randomArrays(seed: number) {
  const rnd = mulberry32(seed);
  const walk = (n: number, scale: number) => {
    const out = new Float64Array(n);
    let v = 0;
    for (let i = 0; i < n; i++) out[i] = v += (rnd() - 0.5) * scale;
    return out;
  };
  return {
    int32: { data: Int32Array.from(walk(3 * 5000, 2000), Math.round), shape: [3, 5000] },
    int64: { data: BigInt64Array.from(walk(2 * 2 * 3000, 1e12), (v) => BigInt(Math.round(v))), shape: [2, 2, 3000] },
    float32: { data: Float32Array.from(walk(4000, 3)), shape: [4000] },
    float64: { data: walk(2 * 2500, 1e-3), shape: [2, 2500] },
  };
}
