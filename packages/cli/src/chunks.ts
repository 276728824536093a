/**
 * Reading a stored recording by time chunks: the decode job for some channels and samples of
 * chunk k, its bytes fetched with as few reads as the layout allows, and windows of rows decoded
 * chunk by chunk on a worker pool (the decompress command). Windows read in-process are @flacarray/recording's.
 */
import { concatBytes, _internalPlanStreams as planStreams } from "@flacarray/core";
import { ordered } from "@flacarray/mtscomp";
import type { RecordingInfo, StoredRecording } from "@flacarray/recording";
import type { DecodeJob, RecordingDtype, Rows } from "./jobs.js";
import type { ChunkWorkers } from "./pool.js";

/** Largest read of `compressed` at once: neighbouring streams share reads up to it. */
const MAX_READ_BYTES = 16 * 1024 * 1024;

/** The decode job for `channels` over samples `[first, last)` of time chunk `k`. */
export async function decodeJob(
  rec: StoredRecording,
  k: number,
  channels: number[],
  first: number,
  last: number,
  keepRows: boolean,
): Promise<DecodeJob> {
  const { layout } = rec;
  const nc = layout.leadingShape[1] as number;
  const streams = channels.map((c) => k * nc + c);
  const plan = planStreams(layout, streams, first, last, [streams.length, last - first], MAX_READ_BYTES);
  const parts = await Promise.all(plan.ranges.map((r) => rec.read(r.start, r.end)));
  const bytes = parts.length === 1 ? (parts[0] as Uint8Array) : concatBytes(parts);
  return {
    type: "decode",
    bytes,
    lengths: streams.map((s) => layout.bytes[s] as number),
    streams,
    streamSize: layout.streamSize,
    first,
    last,
    dtype: (rec.info?.dtype ?? "int32") as RecordingDtype,
    keepRows,
    where: rec.where,
  };
}

/** A window of a recording: samples `[start, stop)` of some channels. */
export interface Window {
  start: number;
  stop: number;
  channels: number[];
}

/**
 * The rows of a window, chunk by chunk in order (`concurrency` chunks decoded at once on the
 * pool), each as interleaved samples of the window's channels.
 */
export function windowRows(
  rec: StoredRecording & { info: RecordingInfo },
  window: Window,
  pool: ChunkWorkers,
  concurrency: number,
): AsyncGenerator<Rows> {
  const cs = rec.info.chunkSamples;
  const firstChunk = Math.floor(window.start / cs);
  const lastChunk = Math.ceil(window.stop / cs);
  return ordered(Math.max(0, lastChunk - firstChunk), concurrency, async (i) => {
    const k = firstChunk + i;
    const first = Math.max(window.start - k * cs, 0);
    const last = Math.min(window.stop - k * cs, cs);
    const { rows } = await pool.decode(await decodeJob(rec, k, window.channels, first, last, true));
    return rows as Rows;
  });
}
