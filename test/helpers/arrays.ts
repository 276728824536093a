import { expect } from "vitest";

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
