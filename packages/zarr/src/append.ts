/**
 * Writing a flacarray group stream by stream, for data too large to hold: `compressed` grows
 * chunk file by chunk file as streams arrive; the stream tables and attributes are written by
 * `finish`, once the leading shape is known.
 */
import { NAMES, StreamTableBuilder } from "@flacarray/core";
import { join } from "./json.js";
import { assertWritable, DEFAULT_CHUNK_BYTES, finishGroup, type WritableLocation, writeChunk } from "./write.js";

/** A flacarray group being written stream by stream (see {@link appendFlacArray}). */
export interface FlacArrayAppender {
  /** Appends FLAC streams: their bytes one after another, and the byte length of each. */
  append(compressed: Uint8Array, streamBytes: ArrayLike<number>): Promise<void>;
  /** Writes the rest of `compressed`, the stream tables for `leadingShape`, and the attributes. */
  finish(leadingShape: number[]): Promise<void>;
}

/** Options of {@link appendFlacArray}. */
export interface AppendOptions {
  /** Samples per stream (every stream). */
  streamSize: number;
  /** The integer dtype the streams hold (int32: one FLAC channel; int64: two). */
  dtype: "int32" | "int64";
  /** Bytes per chunk file of `compressed` (default 4 MiB). */
  chunkBytes?: number;
}

/**
 * Starts writing a flacarray group of integers stream by stream into a Zarr v2 group, in the
 * layout `writeFlacArray` writes. Memory stays at one chunk of `compressed` plus 16 bytes per
 * stream.
 * @throws {InvalidArgumentError} as `writeFlacArray` for groups that cannot take a flacarray
 */
export async function appendFlacArray(group: WritableLocation, options: AppendOptions): Promise<FlacArrayAppender> {
  await assertWritable(group);
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  const compressedPath = join(group.path, NAMES.compressed);
  const tables = new StreamTableBuilder();
  let pending = new Uint8Array(0);
  let written = 0; // chunk files written
  return {
    async append(compressed, streamBytes) {
      tables.add(streamBytes, compressed.length);
      const joined = new Uint8Array(pending.length + compressed.length);
      joined.set(pending);
      joined.set(compressed, pending.length);
      let used = 0;
      for (; joined.length - used >= chunkBytes; used += chunkBytes) {
        await writeChunk(group.store, compressedPath, written++, joined.subarray(used, used + chunkBytes), chunkBytes);
      }
      pending = joined.slice(used);
    },
    async finish(leadingShape) {
      const built = tables.tables(leadingShape);
      // all of it fits in one chunk: make the chunk that size, as writeFlacArray does for small arrays
      const chunk = written === 0 ? Math.max(1, pending.length) : chunkBytes;
      if (pending.length > 0) await writeChunk(group.store, compressedPath, written++, pending, chunk);
      const fields = {
        ...built,
        leadingShape,
        streamOffsets: null,
        streamGains: null,
        streamSize: options.streamSize,
        dtype: options.dtype,
      };
      await finishGroup(group, fields, chunk);
    },
  };
}
