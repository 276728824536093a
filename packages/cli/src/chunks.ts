/**
 * Reading a stored recording by time chunks: the decode job for some channels and samples of
 * chunk k, its bytes fetched with as few reads as the layout allows, and windows of rows decoded
 * chunk by chunk (on a worker pool or on this thread).
 */
import { concatBytes, _internalPlanStreams as planStreams } from "@flacarray/core";
import { ordered } from "@flacarray/mtscomp";
import type { RecordingInfo, StoredRecording } from "@flacarray/recording";
import { type DecodeJob, decodeChunk, type RecordingDtype, type Rows } from "./jobs.js";
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

/**
 * A window of a recording as interleaved samples (`(stop - start) x channels`) of its dtype: what
 * a service or viewer reading a second of a few channels calls. Decoded on this thread, or, with
 * a `pool`, its time chunks on the pool's workers in parallel.
 */
export async function readWindow(
  rec: StoredRecording & { info: RecordingInfo },
  window: Window,
  pool?: ChunkWorkers,
): Promise<{ data: Rows; shape: [number, number] }> {
  const cs = rec.info.chunkSamples;
  const width = window.channels.length;
  const rows = window.stop - window.start;
  const data = rec.info.dtype === "int16" ? new Int16Array(rows * width) : new Int32Array(rows * width);
  const parts = pool
    ? windowRows(rec, window, pool, Math.ceil(rows / cs) + 1)
    : (async function* () {
        for (let k = Math.floor(window.start / cs); k * cs < window.stop; k++) {
          const first = Math.max(window.start - k * cs, 0);
          const last = Math.min(window.stop - k * cs, cs);
          yield decodeChunk(await decodeJob(rec, k, window.channels, first, last, true)).rows as Rows;
        }
      })();
  let at = 0;
  for await (const part of parts) {
    data.set(part as never, at);
    at += part.length;
  }
  return { data, shape: [rows, width] };
}
