/**
 * numpy indexing of one axis: an integer (negative counts from the end, out of range is an
 * IndexError), a slice `[start, stop, step?]` with `null` for an open end (any non-zero step,
 * out-of-range bounds clipped as numpy's `slice.indices` does), a `{ list }` of integers, or
 * nothing for the whole axis.
 */
import { IndexError } from "./errors.js";

/** A slice: `[start, stop, step]`, `null` (or a missing item) for numpy's default. */
export type Slice = readonly [start?: number | null, stop?: number | null, step?: number | null];

/** One axis of a selection: an integer, a slice, a list of integers, or null/undefined for all. */
export type AxisIndex = number | Slice | { readonly list: readonly number[] } | null | undefined;

/** An axis selection as a regular progression: `start + i * step` for `i < count`. */
export interface Progression {
  readonly start: number;
  readonly step: number;
  readonly count: number;
  /** An integer index: numpy drops the axis from the result. */
  readonly drop: boolean;
}

function integer(value: unknown, what: string): number {
  if (typeof value !== "number" || !Number.isInteger(value))
    throw new IndexError(`${what} must be an integer, found ${typeof value === "number" ? value : JSON.stringify(value)}`);
  return value;
}

/** The position of integer index `k` on an axis of `size`, as numpy resolves it. */
function position(k: number, size: number, axis: number): number {
  const at = integer(k, `index on axis ${axis}`);
  if (at < -size || at >= size) throw new IndexError(`index ${at} is out of bounds for axis ${axis} with size ${size}`);
  return at < 0 ? at + size : at;
}

/** An integer or slice index as a progression (lists are rejected: see {@link indexList}). */
export function progression(index: AxisIndex, size: number, axis: number): Progression {
  if (index === null || index === undefined) return { start: 0, step: 1, count: size, drop: false };
  if (typeof index === "number") return { start: position(index, size, axis), step: 1, count: 1, drop: true };
  if (!Array.isArray(index)) throw new IndexError(`axis ${axis}: lists of indices are supported on channels only; use a slice for rows`);
  const [a, b, c] = index as Slice;
  const step = c === null || c === undefined ? 1 : integer(c, `slice step on axis ${axis}`);
  if (step === 0) throw new IndexError(`slice step cannot be zero (axis ${axis})`);
  // Python's slice.indices(size)
  const low = step > 0 ? 0 : -1;
  const high = step > 0 ? size : size - 1;
  const clip = (v: number | null | undefined, fallback: number, what: string) => {
    if (v === null || v === undefined) return fallback;
    const i = integer(v, `slice ${what} on axis ${axis}`);
    return i < 0 ? Math.max(i + size, low) : Math.min(i, high);
  };
  const start = clip(a, step > 0 ? 0 : size - 1, "start");
  const stop = clip(b, step > 0 ? size : -1, "stop");
  const count = Math.max(0, Math.ceil((stop - start) / step));
  return { start, step, count, drop: false };
}

/** Any axis index as the list of positions it selects (for channels, a few hundred at most). */
export function indexList(index: AxisIndex, size: number, axis: number): { positions: Int32Array; drop: boolean } {
  if (index !== null && typeof index === "object" && "list" in index) {
    return { positions: Int32Array.from(index.list, (k) => position(k, size, axis)), drop: false };
  }
  const p = progression(index, size, axis);
  return { positions: Int32Array.from({ length: p.count }, (_, i) => p.start + i * p.step), drop: p.drop };
}
