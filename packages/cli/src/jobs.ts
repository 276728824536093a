/**
 * The work done on worker threads, as plain functions (the worker only routes messages to
 * them): compressing one time chunk of a recording into FLAC streams, and decoding the streams
 * of one chunk back to interleaved rows. Both hash the rows, so that verification can compare
 * chunk by chunk.
 */
import { createHash } from "node:crypto";
import { _internalCompressStreams as compressStreams, FlacDecoder, InvalidStreamError } from "@flacarray/core";

import type { RecordingDtype } from "@flacarray/recording";

export type { RecordingDtype };

/** Interleaved rows (samples x channels) of a recording's dtype. */
export type Rows = Int16Array | Int32Array;

/** Compress one time chunk. */
export interface EncodeJob {
  type: "encode";
  /** `validRows x nChannels` interleaved samples. */
  rows: Rows;
  nChannels: number;
  /** Samples per stream: the rows are padded to it by repeating the last row. */
  chunkSamples: number;
  level: number;
}

/** A compressed time chunk: `nChannels` FLAC streams and the SHA-1 of its input rows. */
export interface EncodeResult {
  compressed: Uint8Array;
  streamBytes: Float64Array;
  sha1: string;
}

/** Decode some streams of one time chunk. */
export interface DecodeJob {
  type: "decode";
  /** The streams' bytes, one after another. */
  bytes: Uint8Array;
  /** Byte length of each stream in `bytes`. */
  lengths: number[];
  /** Stream index of each (for error messages). */
  streams: number[];
  streamSize: number;
  /** Samples `[first, last)` of each stream. */
  first: number;
  last: number;
  dtype: RecordingDtype;
  /** Return the rows (else only their hash). */
  keepRows: boolean;
  /** File and group, for error messages. */
  where: string;
}

/** Decoded rows (`(last - first) x streams`, interleaved) and their SHA-1. */
export interface DecodeResult {
  rows: Rows | null;
  sha1: string;
}

const bytesOf = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** Channel-major int32 streams, the last rows repeated up to `chunkSamples`. */
export function encodeChunk(job: EncodeJob): EncodeResult {
  const { rows, nChannels, chunkSamples } = job;
  const valid = rows.length / nChannels;
  const ints = scratch(nChannels * chunkSamples);
  transpose(rows, valid, nChannels, ints, chunkSamples);
  for (let c = 0; c < nChannels; c++)
    ints.fill(ints[c * chunkSamples + valid - 1] as number, c * chunkSamples + valid, (c + 1) * chunkSamples);
  const { compressed, bytes } = compressStreams(ints, nChannels, chunkSamples, 1, job.level, false);
  return { compressed, streamBytes: bytes, sha1: createHash("sha1").update(bytesOf(rows)).digest("hex") };
}

/** Rows per tile of {@link transpose}: a tile's lines stay in cache while the other side is strided. */
const TILE = 256;

/**
 * `to[j * toStride + i] = from[i * width + j]` for `i < height`, `j < width`: rows to streams and
 * back, in tiles so that the strided side stays in cache (3-4x faster than the plain loop).
 */
function transpose(from: Rows | Int32Array, height: number, width: number, to: Rows | Int32Array, toStride: number): void {
  for (let i0 = 0; i0 < height; i0 += TILE) {
    const i1 = Math.min(height, i0 + TILE);
    for (let j = 0; j < width; j++) {
      for (let i = i0, a = i0 * width + j, b = j * toStride + i0; i < i1; i++, a += width, b++) to[b] = from[a] as number;
    }
  }
}

let decoder: FlacDecoder | undefined;
let scratchInts = new Int32Array(0);

/**
 * A reused buffer of at least `length` int32 values: a worker runs one job at a time, and a fresh
 * 46 MB array per chunk costs more in page faults than the transpose that fills it.
 */
function scratch(length: number): Int32Array {
  if (scratchInts.length < length) scratchInts = new Int32Array(length);
  return scratchInts.subarray(0, length);
}

/** Decodes the job's streams and interleaves them into rows of the recording's dtype. */
export function decodeChunk(job: DecodeJob): DecodeResult {
  const m = job.last - job.first;
  const n = job.lengths.length;
  const ints = scratch(n * m);
  decoder ??= new FlacDecoder();
  let at = 0;
  for (let k = 0; k < n; k++) {
    const length = job.lengths[k] as number;
    try {
      decoder.decode(job.bytes.subarray(at, at + length), ints, {
        start: job.first,
        stop: job.last,
        outOffset: k * m,
        stream: job.streams[k],
        totalSamples: job.streamSize,
        channels: 1,
      });
    } catch (err) {
      if (err instanceof InvalidStreamError)
        throw new InvalidStreamError(err.reason, err.stream, err.byteOffset, { path: job.where, cause: err });
      throw err;
    }
    at += length;
  }
  const rows = job.dtype === "int16" ? new Int16Array(n * m) : new Int32Array(n * m);
  transpose(ints, n, m, rows, n);
  // the hash is for verification, which keeps no rows; a decompression keeps them and needs none
  return job.keepRows ? { rows, sha1: "" } : { rows: null, sha1: createHash("sha1").update(bytesOf(rows)).digest("hex") };
}
