/**
 * One chunk's payload, before zlib: time differences, then channel differences, serialised in
 * F (channel-major) or C (sample-major) order (`Writer._compress_chunk` / `Reader.read_chunk`).
 * Arithmetic happens in the dtype, as numpy does it: integers wrap around (typed-array stores do
 * that), floats round to their precision at every step (ditto), so decoding gives Python's values
 * bit for bit, lossy floats included. 64-bit integers are pairs of 32-bit lanes with a carry.
 */
import { allocate, bytesOf, type Dtype, isWide, itemsize, type LaneArray, lanesOf, type SampleArray, samplesOf } from "./dtype.js";
import type { ChunkOrder } from "./header.js";

/** How a file's chunks are transformed. */
export interface ChunkTransform {
  readonly dtype: Dtype;
  readonly nChannels: number;
  readonly chunkOrder: ChunkOrder;
  readonly doTimeDiff: boolean;
  readonly doSpatialDiff: boolean;
}

/** The payload bytes of a chunk of `samples` (C order, `nSamples x nChannels`). */
export function encodeChunk(t: ChunkTransform, samples: SampleArray, nSamples: number): Uint8Array {
  const out = allocate(t.dtype, nSamples * t.nChannels);
  const x = lanesOf(t.dtype, samples);
  const y = lanesOf(t.dtype, out);
  if (isWide(t.dtype)) encodeWide(t, x as Int32Array, y as Int32Array, nSamples);
  else encodeNarrow(t, x, y, nSamples);
  return bytesOf(out);
}

/** The samples (C order, `nSamples x nChannels`, a new array) of a chunk's payload bytes. */
export function decodeChunk(t: ChunkTransform, payload: Uint8Array, nSamples: number): SampleArray {
  const out = allocate(t.dtype, nSamples * t.nChannels);
  const y = lanesOf(t.dtype, samplesOf(t.dtype, payload));
  const x = lanesOf(t.dtype, out);
  if (isWide(t.dtype)) {
    toSampleMajor(t, y, x, nSamples, 2);
    decodeWide(t, x as Int32Array, nSamples);
  } else if (t.chunkOrder === "F" && !t.doSpatialDiff) {
    // the common case (mtscomp's defaults): transpose and undo the time differences in one pass
    decodeChannelMajor(y, x, nSamples, t.nChannels, t.doTimeDiff, exactSums(t.dtype, nSamples));
  } else {
    toSampleMajor(t, y, x, nSamples, 1);
    decodeNarrow(t, x, nSamples);
  }
  return out;
}

/** Rows per tile of the transposing loops: a tile's rows stay in the L1 cache. */
const TILE = 256;

/**
 * True when a running sum of `ns` samples of `dtype` is exact in a JS number, so it can run
 * unwrapped and let the typed-array store wrap it (modular arithmetic gives the same result):
 * float64, and integers whose sum stays below 2^53. float32 must round at every step.
 */
function exactSums(dtype: Dtype, ns: number): boolean {
  if (dtype === "float64") return true;
  return dtype !== "float32" && ns * 2 ** (8 * itemsize(dtype)) < 2 ** 53;
}

/**
 * Channel-major payload `y` to sample-major `x`, with the running sum over time when `cumulative`.
 * Works in tiles of {@link TILE} rows so that the strided writes stay in cache. Unless `exact`,
 * each sum is read back from `x`, so it wraps or rounds at every step exactly as numpy's cumsum.
 */
function decodeChannelMajor(y: LaneArray, x: LaneArray, ns: number, nc: number, cumulative: boolean, exact: boolean): void {
  for (let s0 = 0; s0 < ns; s0 += TILE) {
    const s1 = Math.min(ns, s0 + TILE);
    for (let c = 0; c < nc; c++) {
      let i = s0 * nc + c;
      let o = c * ns + s0;
      if (!cumulative) {
        for (let s = s0; s < s1; s++, i += nc, o++) x[i] = y[o] as number;
        continue;
      }
      let acc = s0 === 0 ? 0 : (x[i - nc] as number);
      if (exact) {
        for (let s = s0; s < s1; s++, i += nc, o++) {
          acc += y[o] as number;
          x[i] = acc;
        }
      } else {
        for (let s = s0; s < s1; s++, i += nc, o++) {
          x[i] = acc + (y[o] as number);
          acc = x[i] as number;
        }
      }
    }
  }
}

function encodeNarrow(t: ChunkTransform, x: LaneArray, y: LaneArray, ns: number): void {
  const nc = t.nChannels;
  if (t.chunkOrder === "F") {
    // tiles of rows, so that the strided reads stay in cache
    for (let s0 = 0; s0 < ns; s0 += TILE) {
      const s1 = Math.min(ns, s0 + TILE);
      for (let c = 0; c < nc; c++) {
        let i = s0 * nc + c;
        let o = c * ns + s0;
        if (!t.doTimeDiff) {
          for (let s = s0; s < s1; s++, i += nc, o++) y[o] = x[i] as number;
          continue;
        }
        // the first sample of the chunk is kept as is (minus 0)
        let previous = s0 === 0 ? 0 : (x[i - nc] as number);
        for (let s = s0; s < s1; s++, i += nc, o++) {
          const v = x[i] as number;
          y[o] = v - previous;
          previous = v;
        }
      }
    }
  } else {
    y.set(x as never);
    if (t.doTimeDiff) for (let i = nc; i < ns * nc; i++) y[i] = (x[i] as number) - (x[i - nc] as number);
  }
  if (!t.doSpatialDiff) return;
  // channel differences of the time differences, highest channel first so each reads its neighbour unchanged
  const [rowStride, colStride] = t.chunkOrder === "F" ? [1, ns] : [nc, 1];
  for (let s = 0; s < ns; s++) {
    for (let c = nc - 1; c > 0; c--) {
      const i = s * rowStride + c * colStride;
      y[i] = (y[i] as number) - (y[i - colStride] as number);
    }
  }
}

function decodeNarrow(t: ChunkTransform, x: LaneArray, ns: number): void {
  const nc = t.nChannels;
  if (t.doSpatialDiff) {
    for (let s = 0; s < ns; s++) for (let i = s * nc + 1; i < (s + 1) * nc; i++) x[i] = (x[i] as number) + (x[i - 1] as number);
  }
  if (t.doTimeDiff) for (let i = nc; i < ns * nc; i++) x[i] = (x[i] as number) + (x[i - nc] as number);
}

/** Copies the payload `y` into `x` in sample-major (C) order. */
function toSampleMajor(t: ChunkTransform, y: LaneArray, x: LaneArray, ns: number, lanes: number): void {
  const nc = t.nChannels;
  if (t.chunkOrder === "C") {
    x.set(y as never);
    return;
  }
  if (lanes === 1) {
    for (let c = 0; c < nc; c++) for (let s = 0, o = c * ns, i = c; s < ns; s++, i += nc) x[i] = y[o + s] as number;
    return;
  }
  for (let c = 0; c < nc; c++) {
    for (let s = 0; s < ns; s++) {
      const from = 2 * (c * ns + s);
      const to = 2 * (s * nc + c);
      x[to] = y[from] as number;
      x[to + 1] = y[from + 1] as number;
    }
  }
}

/** out[o] = a[i] - b[j] on 64-bit integers held as (low, high) Int32 lanes; indices count samples. */
function sub64(out: Int32Array, o: number, a: Int32Array, i: number, b: Int32Array, j: number): void {
  const al = a[2 * i] as number;
  const bl = b[2 * j] as number;
  const borrow = al >>> 0 < bl >>> 0 ? 1 : 0;
  out[2 * o + 1] = ((a[2 * i + 1] as number) - (b[2 * j + 1] as number) - borrow) | 0;
  out[2 * o] = (al - bl) | 0;
}

/** x[i] += x[j] on 64-bit integers held as (low, high) Int32 lanes. */
function add64(x: Int32Array, i: number, j: number): void {
  const sum = ((x[2 * i] as number) >>> 0) + ((x[2 * j] as number) >>> 0);
  x[2 * i + 1] = ((x[2 * i + 1] as number) + (x[2 * j + 1] as number) + (sum > 0xffffffff ? 1 : 0)) | 0;
  x[2 * i] = sum | 0;
}

function encodeWide(t: ChunkTransform, x: Int32Array, y: Int32Array, ns: number): void {
  const nc = t.nChannels;
  const at = t.chunkOrder === "F" ? (s: number, c: number) => c * ns + s : (s: number, c: number) => s * nc + c;
  for (let s = 0; s < ns; s++) {
    for (let c = 0; c < nc; c++) {
      const o = at(s, c);
      const i = s * nc + c;
      if (t.doTimeDiff && s > 0) sub64(y, o, x, i, x, i - nc);
      else {
        y[2 * o] = x[2 * i] as number;
        y[2 * o + 1] = x[2 * i + 1] as number;
      }
    }
  }
  if (!t.doSpatialDiff) return;
  for (let s = 0; s < ns; s++) for (let c = nc - 1; c > 0; c--) sub64(y, at(s, c), y, at(s, c), y, at(s, c - 1));
}

function decodeWide(t: ChunkTransform, x: Int32Array, ns: number): void {
  const nc = t.nChannels;
  if (t.doSpatialDiff) for (let s = 0; s < ns; s++) for (let i = s * nc + 1; i < (s + 1) * nc; i++) add64(x, i, i - 1);
  if (t.doTimeDiff) for (let i = nc; i < ns * nc; i++) add64(x, i, i - nc);
}
