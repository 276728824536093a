import { sizeOf } from "./dtypes.js";
import { InvalidSelectionError } from "./errors.js";

/** A keep mask: nested arrays of the leading shape, or a flat array of one flag per stream. */
export type KeepMask = ArrayLike<boolean | number> | readonly KeepMask[];

/** A numpy-style slice `[start, stop, step?]`; `null` (or a missing value) is an open end. */
export type Slice = readonly [start?: number | null, stop?: number | null, step?: number | null];

/** One key of {@link FlacArray.get}: an integer index or a slice. */
export type Key = number | Slice;

/**
 * Flattens a keep mask and checks it has the leading shape.
 * @returns the flat indices of the kept streams, in C order
 * @throws {InvalidSelectionError} when the mask's shape differs from `leadingShape`
 */
export function keptStreams(keep: KeepMask, leadingShape: readonly number[]): number[] {
  const nstreams = sizeOf(leadingShape);
  const flat: (boolean | number)[] = [];
  const shape: number[] = [];
  const walk = (node: unknown, depth: number): void => {
    if (isArrayLike(node) && (node.length === 0 || isArrayLike(node[0]))) {
      if (shape.length === depth) shape.push(node.length);
      else if (shape[depth] !== node.length) throw ragged();
      for (let i = 0; i < node.length; i++) walk(node[i], depth + 1);
    } else if (isArrayLike(node)) {
      if (shape.length === depth) shape.push(node.length);
      else if (shape[depth] !== node.length || shape.length !== depth + 1) throw ragged();
      for (let i = 0; i < node.length; i++) flat.push(node[i] as boolean | number);
    } else throw new InvalidSelectionError(`keep mask must be an array of booleans, found ${typeof node}`);
  };
  const ragged = () => new InvalidSelectionError("keep mask is ragged: its rows differ in length");
  walk(keep, 0);
  const sameShape = shape.length === leadingShape.length && shape.every((d, i) => d === leadingShape[i]);
  const flatOk = shape.length === 1 && shape[0] === nstreams;
  if (!sameShape && !flatOk) {
    throw new InvalidSelectionError(
      `keep mask has shape (${shape.join(", ")}), expected the leading shape (${leadingShape.join(", ")}) or (${nstreams})`,
    );
  }
  const kept: number[] = [];
  for (let i = 0; i < flat.length; i++) if (flat[i]) kept.push(i);
  return kept;
}

function isArrayLike(v: unknown): v is ArrayLike<unknown> {
  return Array.isArray(v) || ArrayBuffer.isView(v);
}

/**
 * Resolves a stream slice `[start, stop]` (null = open end, negative = from the end) against a
 * stream of `n` samples.
 * @throws {InvalidSelectionError} when a bound lies outside the stream or start > stop
 */
export function resolveStreamSlice(
  slice: readonly [number | null | undefined, number | null | undefined] | null | undefined,
  n: number,
): [number, number] {
  if (slice == null) return [0, n];
  let [start, stop] = slice;
  start ??= 0;
  stop ??= n;
  if (!Number.isInteger(start) || !Number.isInteger(stop))
    throw new InvalidSelectionError(`stream slice [${start}, ${stop}] must hold integers`);
  if (start < 0) start += n;
  if (stop < 0) stop += n;
  if (start < 0 || stop > n || start > stop) {
    throw new InvalidSelectionError(`stream slice [${slice[0]}, ${slice[1]}] outside the stream's ${n} samples`);
  }
  return [start, stop];
}

/** The flat C-order index tuple of stream `flat` in the leading shape. */
export function unravelIndex(flat: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = flat % shape[d];
    flat = Math.floor(flat / shape[d]);
  }
  return idx;
}

/** A key resolved against one axis: the positions it selects, and whether it keeps the axis. */
export interface ResolvedKey {
  indices: number[];
  keepsAxis: boolean;
}

/**
 * Resolves an integer or slice key against an axis of length `n` with numpy's rules: negative
 * integers count from the end, slices clamp, steps may be negative.
 * @throws {InvalidSelectionError} for an integer out of range or a zero step
 */
export function resolveKey(key: Key, n: number, axis: number): ResolvedKey {
  if (typeof key === "number") {
    if (!Number.isInteger(key)) throw new InvalidSelectionError(`index ${key} on axis ${axis} is not an integer`);
    const i = key < 0 ? key + n : key;
    if (i < 0 || i >= n) throw new InvalidSelectionError(`index ${key} is out of bounds for axis ${axis} with size ${n}`);
    return { indices: [i], keepsAxis: false };
  }
  if (!Array.isArray(key)) throw new InvalidSelectionError(`key on axis ${axis} must be an integer or a [start, stop, step] slice`);
  const step = key[2] ?? 1;
  if (!Number.isInteger(step) || step === 0)
    throw new InvalidSelectionError(`slice step ${step} on axis ${axis} must be a non-zero integer`);
  const clamp = (v: number | null | undefined, dflt: number, lo: number, hi: number) => {
    if (v == null) return dflt;
    if (!Number.isInteger(v)) throw new InvalidSelectionError(`slice bound ${v} on axis ${axis} is not an integer`);
    const w = v < 0 ? v + n : v;
    return Math.min(Math.max(w, lo), hi);
  };
  const indices: number[] = [];
  if (step > 0) {
    const start = clamp(key[0], 0, 0, n);
    const stop = clamp(key[1], n, 0, n);
    for (let i = start; i < stop; i += step) indices.push(i);
  } else {
    const start = clamp(key[0], n - 1, -1, n - 1);
    const stop = clamp(key[1], -1, -1, n - 1);
    for (let i = start; i > stop; i += step) indices.push(i);
  }
  return { indices, keepsAxis: true };
}
