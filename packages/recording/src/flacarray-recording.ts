/**
 * Recordings stored as flacarray groups: the recording layout `flacarray compress` writes
 * (streams of shape (nChunks, nChannels, chunkSamples) and recording attributes), and any
 * 2-D int32 group (channels, samples), one stream per channel, as Python users write them. A
 * window decodes, chunk by chunk, only the streams of its channels, then lays them out
 * time-major. In a long stream that can be read by ranges, a window of less than half of it
 * fetches and decodes only the frames that hold it.
 */
import {
  _internalAcquireStaging as acquireStaging,
  canShareMemory,
  _internalDecodeRange as decodeRange,
  _internalDecodeRowsOnWorkers as decodeRowsOnWorkers,
  decodeStreamWindow,
  FlacDecoder,
  forEachLimited,
  InvalidFormatError,
  _internalInterleaveOnWorkers as interleaveOnWorkers,
  _internalInterleaveStreams as interleaveStreams,
  type KnownFrame,
  _internalPlanStreams as planStreams,
  type RowsTarget,
  _internalReleaseStaging as releaseStaging,
  type StreamLayoutHint,
  _internalScratchInts as scratchInts,
  _internalWorkerCount as workerCount,
  workerWindowDecoder,
} from "@flacarray/core";
import type { RecordingDtype } from "./attributes.js";
import {
  type Recording,
  type RecordingFormat,
  type RecordingSamples,
  type RecordingWindow,
  resolveWindow,
  windowOutput,
} from "./recording.js";
import type { StoredRecording } from "./stored-group.js";

/** Options of a flacarray recording. */
export interface FlacArrayRecordingOptions {
  /** Samples per second, where the group does not say it. */
  sampleRate?: number;
  /** Decode on this many workers; 0 (the default here) decodes on this thread. */
  workers?: number;
}

/**
 * Streams whose windows are searched for and fetched at once: each is about one request in
 * flight. A stream keeps its turn until its window is decoded on a worker, so with 16 the
 * connection stood idle while the workers decoded (a 1 s x 385-channel window of Python's layout
 * over loopback: 1.27-1.42x faster with 64, read for read).
 */
const STREAMS_AT_ONCE = 64;

/** Largest read of `compressed` at once: neighbouring streams share reads up to it. */
const MAX_READ_BYTES = 16 * 1024 * 1024;

/** Attribute names Python users give a sample rate, most specific first. */
const RATE_ATTRIBUTES = ["recording_sample_rate", "sample_rate", "sampling_rate", "sampling_frequency", "rate", "fs"];

/** A number attribute that can be a rate, or undefined. */
function rateIn(attrs: Record<string, unknown>): number | undefined {
  for (const key of RATE_ATTRIBUTES) {
    const v = attrs[key];
    if (typeof v === "number" && v > 0 && Number.isFinite(v)) return v;
  }
  return undefined;
}

/**
 * The recording a flacarray group holds.
 * @throws {InvalidFormatError} for a group that is neither layout (not 2-D integer, say)
 */
export function flacarrayRecording(stored: StoredRecording, format: RecordingFormat, options: FlacArrayRecordingOptions = {}): Recording {
  const { layout, info, where } = stored;
  let nChannels: number;
  let nSamples: number;
  let chunkSamples: number;
  let dtype: RecordingDtype;
  if (info) {
    ({ nChannels, nSamples, chunkSamples, dtype } = info);
  } else if (layout.dtype === "int32" && layout.leadingShape.length === 1) {
    nChannels = layout.leadingShape[0] as number;
    nSamples = layout.streamSize;
    chunkSamples = layout.streamSize;
    dtype = "int32";
  } else {
    throw new InvalidFormatError(
      where,
      `holds a ${layout.dtype} array of shape (${[...layout.leadingShape, layout.streamSize].join(", ")}), not a recording: a 2-D integer (channels, samples) array, or the layout flacarray compress writes, is needed`,
    );
  }
  const workers = options.workers ? workerCount(options.workers) : 0;
  // One stream per channel over the whole recording, read by ranges: a window short of the
  // streams fetches and decodes only the frames that hold it.
  const framesOnly = !info && stored.rangeReads;
  // windows inside long streams: fetched here, decoded on the workers when there are some
  const decoder = workers > 0 ? workerWindowDecoder(workers) : new FlacDecoder();

  /** The frame layout of the streams, once one has been read: a hint that saves a round trip on the others. */
  let hint: StreamLayoutHint | undefined;
  /** Each stream's frame found last: the next window's frames are looked for from there. */
  const found = new Map<number, KnownFrame>();

  /**
   * Samples `[first, last)` of `channels`, channel-major, each from only the frames that hold
   * them, into `data`: shared memory, which the workers decode into in place, where it can be.
   */
  const decodeFrames = async (channels: number[], first: number, last: number, data: Int32Array): Promise<void> => {
    const m = last - first;
    const decodeOne = async (c: number, j: number) => {
      const at = layout.starts[c] as number;
      const read = (a: number, b: number) => stored.read(at + a, at + b);
      const stats = await decodeStreamWindow(read, layout.bytes[c] as number, layout.streamSize, first, last, data, decoder, {
        outOffset: j * m,
        stream: c,
        hint,
        near: found.get(c),
      });
      hint ??= stats.layout;
      if (stats.found) found.set(c, stats.found);
    };
    // the first stream alone when its siblings' layout is not known yet, then many at once: each
    // is a round trip or two of small requests
    const rest = hint ? channels : channels.slice(1);
    if (!hint && channels.length > 0) await decodeOne(channels[0] as number, 0);
    const skip = channels.length - rest.length;
    await forEachLimited(rest, STREAMS_AT_ONCE, (c, j) => decodeOne(c, j + skip));
  };
  // staging areas are shared memory: the workers decode into them in place
  const share = canShareMemory();

  /** Samples `[first, last)` of `channels` in time chunk `k`, decoded into `rows` (on workers, or here). */
  const decodeChunk = async (k: number, channels: number[], first: number, last: number, rows: RowsTarget): Promise<void> => {
    const streams = channels.map((c) => k * nChannels + c);
    const plan = planStreams<"int32">(layout, streams, first, last, [streams.length, last - first], MAX_READ_BYTES);
    if (workers > 0) {
      await decodeRowsOnWorkers(plan, () => (piece) => stored.read(piece.start, piece.end), rows, workers, where);
      return;
    }
    const m = last - first;
    await forEachLimited(plan.ranges, 4, async (range) => {
      const bytes = await stored.read(range.start, range.end);
      const ints = scratchInts((range.to - range.from) * m);
      decodeRange(
        { ...plan, streams: plan.streams.slice(range.from, range.to) },
        { ...range, from: 0, to: range.to - range.from },
        bytes,
        ints,
        where,
      );
      interleaveStreams(ints, range.to - range.from, m, { ...rows, column: rows.column + range.from });
    });
  };

  return {
    format,
    nSamples,
    nChannels,
    sampleRate: info?.sampleRate ?? options.sampleRate ?? rateIn(stored.attrs),
    dtype,
    channelNames: info?.channelNames,
    bitVolts: info?.bitVolts,
    where,
    async read(window: RecordingWindow = {}): Promise<RecordingSamples> {
      const { start, stop, channels } = resolveWindow(window, nSamples, nChannels, where);
      const width = channels.length;
      const data = windowOutput(window, dtype, (stop - start) * width, where, workers > 0);
      const chunks: number[] = [];
      for (let k = Math.floor(start / chunkSamples); k * chunkSamples < stop && width > 0; k++) chunks.push(k);
      // a few chunks at once, so that fetching one overlaps decoding another
      await forEachLimited(chunks, 3, async (k) => {
        const first = Math.max(start - k * chunkSamples, 0);
        const last = Math.min(stop - k * chunkSamples, chunkSamples);
        const rows = { out: data, width, column: 0, row: k * chunkSamples + first - start };
        if (framesOnly && 2 * (last - first) < chunkSamples) {
          // fresh memory is slow to touch (page faults), so the decoded streams reuse staging areas
          const n = width * (last - first);
          const staging = share ? acquireStaging(4 * n) : undefined;
          try {
            const decoded = staging ? new Int32Array(staging, 0, n) : new Int32Array(n);
            await decodeFrames(channels, first, last, decoded);
            // on the workers too, a band of rows each, where both sides are shared memory
            await interleaveOnWorkers(decoded, width, last - first, rows, workers);
          } finally {
            if (staging) releaseStaging(staging);
          }
        } else {
          await decodeChunk(k, channels, first, last, rows);
        }
      });
      return { data, shape: [stop - start, width] };
    },
    close: () => stored.close(),
  };
}
