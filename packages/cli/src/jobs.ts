/**
 * The work done on worker threads, as plain functions (the worker only routes messages to
 * them): compressing one time chunk of a recording into FLAC streams, and decoding the streams
 * of one chunk back to interleaved rows. Both hash the rows, so that verification can compare
 * chunk by chunk.
 */
import { createHash } from "node:crypto";
import { _internalCompressStreams as compressStreams, FlacDecoder, InvalidStreamError } from "@flacarray/core";

/** Sample types of recordings: what SpikeGLX, Open Ephys and mtscomp store. */
export type RecordingDtype = "int16" | "int32";

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
  const ints = new Int32Array(nChannels * chunkSamples);
  for (let c = 0; c < nChannels; c++) {
    const o = c * chunkSamples;
    for (let s = 0, i = c; s < valid; s++, i += nChannels) ints[o + s] = rows[i] as number;
    ints.fill(ints[o + valid - 1] as number, o + valid, o + chunkSamples);
  }
  const { compressed, bytes } = compressStreams(ints, nChannels, chunkSamples, 1, job.level, false);
  return { compressed, streamBytes: bytes, sha1: createHash("sha1").update(bytesOf(rows)).digest("hex") };
}

let decoder: FlacDecoder | undefined;

/** Decodes the job's streams and interleaves them into rows of the recording's dtype. */
export function decodeChunk(job: DecodeJob): DecodeResult {
  const m = job.last - job.first;
  const n = job.lengths.length;
  const ints = new Int32Array(n * m);
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
  for (let k = 0; k < n; k++) for (let s = 0, i = k; s < m; s++, i += n) rows[i] = ints[k * m + s] as number;
  return { rows: job.keepRows ? rows : null, sha1: createHash("sha1").update(bytesOf(rows)).digest("hex") };
}
