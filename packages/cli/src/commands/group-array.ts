/**
 * Reading a flacarray group that is not a recording (Python's, say) for `decompress`: the whole
 * array, or a window of a 2-D integer group read as (channels, samples) and returned as
 * interleaved (samples, channels), as SpikeInterface's `get_traces` gives traces.
 */
import {
  _internalAllocateResult as allocateResult,
  type DataType,
  _internalDecodeRange as decodeRange,
  _internalPlanRead as planRead,
  _internalPlanStreams as planStreams,
  type TypedArray,
} from "@flacarray/core";
import type { StoredRecording } from "@flacarray/recording";

/** Largest read of `compressed` at once: neighbouring streams share reads up to it. */
const MAX_READ_BYTES = 16 * 1024 * 1024;

/** Attributes a group may give its sample rate in (Hz), as Python users name it. */
const RATE_ATTRIBUTES = ["sample_rate", "sampling_rate", "sampling_frequency", "rate", "fs"];

/** The sample rate in a group's attributes, when one of the usual names holds a positive number. */
export function sampleRateOf(attrs: Record<string, unknown>): number | undefined {
  for (const name of RATE_ATTRIBUTES) {
    const v = Number(typeof attrs[name] === "bigint" ? Number(attrs[name]) : attrs[name]);
    if (typeof attrs[name] !== "undefined" && Number.isFinite(v) && v > 0) return v;
  }
  return undefined;
}

/**
 * The group's array: whole (C order, its own shape), or with `window` the samples
 * `[start, stop)` of the given channels, interleaved, of shape `(stop - start, channels)`.
 */
export async function readGroupArray(
  rec: StoredRecording,
  window?: { channels: number[]; start: number; stop: number },
): Promise<{ data: TypedArray<DataType>; shape: number[] }> {
  const { layout } = rec;
  const plan = window
    ? planStreams(layout, window.channels, window.start, window.stop, [window.channels.length, window.stop - window.start], MAX_READ_BYTES)
    : planRead(layout, {}, MAX_READ_BYTES);
  const data = allocateResult(plan);
  for (const range of plan.ranges) decodeRange(plan, range, await rec.read(range.start, range.end), data, rec.where);
  if (!window) return { data, shape: plan.shape };
  const [nc, m] = [window.channels.length, window.stop - window.start];
  // transpose (channels, samples) to (samples, channels) on 32-bit lanes: one lane per int32, two per int64
  const lanes = layout.dtype === "int64" ? 2 : 1;
  const from = new Int32Array(data.buffer, data.byteOffset, data.length * lanes);
  const out = allocateResult(plan);
  const to = new Int32Array(out.buffer, out.byteOffset, out.length * lanes);
  for (let c = 0; c < nc; c++) {
    for (let s = 0; s < m; s++) for (let l = 0; l < lanes; l++) to[(s * nc + c) * lanes + l] = from[(c * m + s) * lanes + l];
  }
  return { data: out, shape: [m, nc] };
}
