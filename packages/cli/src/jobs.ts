/**
 * The work done on worker threads, as plain functions (the worker only routes messages to
 * them): compressing one time chunk of a recording into FLAC streams, and decoding the streams
 * of one chunk back to interleaved rows. Both hash the rows, so that verification can compare
 * chunk by chunk.
 */
import { createHash } from "node:crypto";
import {
  _internalCompressStreamRun as compressStreamRun,
  _internalDeinterleaveRows as deinterleaveRows,
  FlacDecoder,
  InvalidStreamError,
  _internalInterleaveStreams as interleaveStreams,
} from "@flacarray/core";

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
  /** The streams: a view of the start of a buffer that may be longer. */
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
  deinterleaveRows(rows, valid, nChannels, ints, chunkSamples);
  for (let c = 0; c < nChannels; c++)
    ints.fill(ints[c * chunkSamples + valid - 1] as number, c * chunkSamples + valid, (c + 1) * chunkSamples);
  // the streams as gathered (the buffer moves to the calling thread, which writes only them): no trimmed copy
  const run = compressStreamRun(ints, nChannels, chunkSamples, 1, job.level, false);
  const compressed = run.compressed.subarray(0, run.length);
  return { compressed, streamBytes: run.bytes, sha1: createHash("sha1").update(bytesOf(rows)).digest("hex") };
}

let decoder: FlacDecoder | undefined;
let scratchInts = new Int32Array(0);
let scratchRows: Rows = new Int16Array(0);

/**
 * A reused buffer of at least `length` int32 values: a worker runs one job at a time, and a fresh
 * 46 MB array per chunk costs more in page faults than the transpose that fills it.
 */
function scratch(length: number): Int32Array {
  if (scratchInts.length < length) scratchInts = new Int32Array(length);
  return scratchInts.subarray(0, length);
}

/** Rows of `dtype` that only live until hashed: a reused buffer, as {@link scratch}. */
function rowsScratch(dtype: RecordingDtype, length: number): Rows {
  const Type = dtype === "int16" ? Int16Array : Int32Array;
  if (!(scratchRows instanceof Type) || scratchRows.length < length) scratchRows = new Type(length);
  return scratchRows.subarray(0, length);
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
  // rows handed back are fresh; rows only hashed (verification) reuse one buffer
  const length = n * m;
  const rows = !job.keepRows ? rowsScratch(job.dtype, length) : job.dtype === "int16" ? new Int16Array(length) : new Int32Array(length);
  interleaveStreams(ints, n, m, { out: rows, width: n, column: 0, row: 0 });
  // the hash is for verification, which keeps no rows; a decompression keeps them and needs none
  return job.keepRows ? { rows, sha1: "" } : { rows: null, sha1: createHash("sha1").update(bytesOf(rows)).digest("hex") };
}
